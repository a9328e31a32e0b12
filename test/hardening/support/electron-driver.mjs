// Runs the Electron main process from source (src-desktop/main/index.ts) against the stub,
// plays the attacks of issue 18 item 7 through the hooks it installed, prints one JSON line.
// Usage: node --import tsx --import ./use-electron-stub.mjs electron-driver.mjs <event log>
import { pathToFileURL } from 'node:url';
import { state } from 'electron';

const [file] = process.argv.slice(2);
process.argv = [process.argv[0], 'electron-main', file];
await import(new URL('../../../src-desktop/main/index.ts', import.meta.url).href);

const win = () => state.windows[0];
const loaded = () => win()?.loaded;
for (let i = 0; i < 500 && !(state.handlers.has('catalyst:query') && loaded()); i++) await new Promise((r) => setTimeout(r, 10));
const appUrl = loaded().file ? pathToFileURL(loaded().file).href : loaded().url;
const contents = win().webContents;
const invoke = (frame, ...args) => state.handlers.get('catalyst:query')({ senderFrame: frame, sender: contents }, ...args);
const prevented = (event, ...args) => {
  let stopped = false;
  const listener = contents.listeners.get(event);
  if (!listener) return 'no listener';
  listener(
    { preventDefault: () => (stopped = true), ...(args.length === 1 && typeof args[0] === 'object' ? args[0] : {}) },
    ...(typeof args[0] === 'string' ? args : []),
  );
  return stopped;
};
const app = new URL(appUrl);
const evilFile = `file://evil.example${app.pathname}`;
// Wait for the log to be open, so IPC answers come from the service, not "no file".
let info = null;
for (let i = 0; i < 500 && !(info && info.ok); i++) {
  info = await invoke({ url: appUrl, parent: null }, 'info', undefined);
  if (!info.ok) await new Promise((r) => setTimeout(r, 10));
}
const report = {
  loaded: loaded(),
  appUrl,
  info: info.ok,
  navigate: {
    app: prevented('will-navigate', `${appUrl}#/stats`),
    evilHost: prevented('will-navigate', evilFile),
    other: prevented('will-navigate', 'file:///etc/passwd'),
  },
  redirect: { evilHost: prevented('will-redirect', evilFile) },
  frameNavigate: {
    appMain: prevented('will-frame-navigate', { url: `${appUrl}#/stats`, isMainFrame: true }),
    evilMain: prevented('will-frame-navigate', { url: evilFile, isMainFrame: true }),
    appSubframe: prevented('will-frame-navigate', { url: appUrl, isMainFrame: false }),
    remoteSubframe: prevented('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false }),
  },
  ipc: {
    app: (await invoke({ url: appUrl, parent: null }, 'info', undefined)).ok,
    evilHost: await invoke({ url: evilFile, parent: null }, 'info', undefined),
    subframe: await invoke({ url: appUrl, parent: { url: appUrl } }, 'info', undefined),
  },
  remoteRequestCancelled: await new Promise((resolve) =>
    state.requestFilters[0].listener({ url: process.env.ELECTRON_RENDERER_URL ?? 'http://127.0.0.1:5173/' }, (r) =>
      resolve(r.cancel === true),
    ),
  ),
  errors: state.errors,
};
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
