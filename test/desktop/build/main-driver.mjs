// Runs the BUNDLED Electron main process (out/main/index.js) under Node against the electron
// stub, opens the log named on its command line, exercises the IPC handlers and the security
// hooks the way Electron would, and prints what happened as one JSON line.
// Usage: node main-driver.mjs <out dir> <event log>
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { state } from 'electron';

const [outDir, file] = process.argv.slice(2);
process.argv = [process.argv[0], join(outDir, 'main/index.js'), file];
await import(pathToFileURL(join(outDir, 'main/index.js')).href);

const win = () => state.windows[0];
const appUrl = () => pathToFileURL(win().loaded.file).href;
const invoke = (channel, frameUrl, ...args) =>
  state.handlers.get(channel)({ senderFrame: { url: frameUrl }, sender: win().webContents }, ...args);

// The app opens the file after whenReady: wait until the query channel answers.
let info = null;
for (let i = 0; i < 500 && !(info && info.ok); i++) {
  await new Promise((r) => setTimeout(r, 10));
  if (state.handlers.has('catalyst:query') && win()?.loaded) info = await invoke('catalyst:query', appUrl(), 'info', undefined);
}

const contents = win().webContents;
const navigation = (url) => {
  let prevented = false;
  contents.listeners.get('will-navigate')({ preventDefault: () => (prevented = true) }, url);
  return prevented;
};
const requestDecision = (url) =>
  new Promise((resolve) => state.requestFilters[0].listener({ url }, (response) => resolve(response.cancel === true)));
const permission = () => new Promise((resolve) => state.permissionRequest(contents, 'media', resolve));

const report = {
  sandboxEnabled: state.sandboxEnabled,
  webPreferences: win().options.webPreferences,
  loaded: win().loaded,
  title: win().title,
  channels: [...state.handlers.keys()].sort(),
  info,
  page: await invoke('catalyst:query', appUrl(), 'eventsPage', { filter: { types: ['POSITION_CLOSED'] }, limit: 10 }),
  badArgs: await invoke('catalyst:query', appUrl(), 'eventsPage', { limit: -1 }),
  foreignFrame: await invoke('catalyst:query', 'https://evil.example/', 'info', undefined),
  replay: await invoke('catalyst:query', appUrl(), 'replay', { aggregateType: 'position', aggregateId: 'position-1' }),
  recent: await invoke('catalyst:recent-files', appUrl()),
  windowOpen: contents.windowOpenHandler({ url: 'https://evil.example/' }),
  navigateAway: navigation('https://evil.example/'),
  navigateInApp: navigation(`${appUrl()}#/stats`),
  remoteRequestCancelled: await requestDecision('https://cdn.example/lib.js'),
  requestFilter: state.requestFilters[0].filter,
  permissionGranted: await permission(),
  errors: state.errors,
};
for (const listener of state.appListeners.get('window-all-closed') ?? []) listener();
for (let i = 0; i < 200 && !state.quit; i++) await new Promise((r) => setTimeout(r, 10));
report.quit = state.quit;
process.stdout.write(JSON.stringify(report) + '\n');
process.exit(0);
