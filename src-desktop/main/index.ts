/**
 * The Electron shell: a window over the viewer service. Everything it decides about security
 * is in ./security (unit-tested); everything it answers is ViewerSession (tested under Node).
 * This file only wires Electron's objects to them.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { IPC } from '../shared/api';
import { BUILTIN_PLUGINS } from './builtin-plugins';
import { RecentFiles } from './recent-files';
import { developmentRendererUrl, isAllowedFrameNavigation, isAllowedNavigation, isAllowedPermission, WEB_PREFERENCES } from './security';
import { ViewerSession } from './viewer-session';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndex = join(here, '../renderer/index.html');
const preload = join(here, '../preload/index.cjs');
// Development only: a packaged app never loads a page named by its environment.
const devServer = developmentRendererUrl(process.env, app.isPackaged);
const appUrl = devServer ?? pathToFileURL(rendererIndex).href;

/** A path given on the command line (`npm run desktop -- ./data/events.db`). */
function fileFromArgs(argv: readonly string[]): string | null {
  const args = argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('-') && a !== '.');
  const candidate = args.at(-1);
  return candidate && existsSync(candidate) ? candidate : null;
}

function hardenSessions(): void {
  // No remote content: only the app's own files (or the dev server while developing).
  session.defaultSession.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      callback({ cancel: !(devServer && details.url.startsWith(devServer)) });
    },
  );
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(isAllowedPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => isAllowedPermission(permission));
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url, appUrl)) event.preventDefault();
    });
    // Every frame's navigations (will-navigate sees the main frame's only).
    contents.on('will-frame-navigate', (event) => {
      if (!isAllowedFrameNavigation(event.url, event.isMainFrame, appUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Catalyst Events',
    show: false,
    webPreferences: { ...WEB_PREFERENCES, preload },
  });
  win.once('ready-to-show', () => win.show());
  void (devServer ? win.loadURL(devServer) : win.loadFile(rendererIndex));
  return win;
}

async function main(): Promise<void> {
  app.enableSandbox();
  await app.whenReady();
  hardenSessions();
  const win = createWindow();
  const viewer = new ViewerSession({
    plugins: BUILTIN_PLUGINS,
    recent: new RecentFiles(join(app.getPath('userData'), 'recent-files.json')),
    notify: (change) => {
      if (!win.isDestroyed()) win.webContents.send(IPC.dataChanged, change);
    },
    async pickFile() {
      const result = await dialog.showOpenDialog(win, {
        title: 'Open an event log',
        properties: ['openFile'],
        filters: [
          { name: 'Event logs', extensions: ['db', 'sqlite', 'sqlite3'] },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async pickSavePath(suggestedName) {
      const result = await dialog.showSaveDialog(win, { title: 'Export events', defaultPath: suggestedName });
      return result.canceled ? null : (result.filePath ?? null);
    },
  });

  /** Every channel answers only the app's own page, never another frame or origin. */
  const handle = (channel: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      // The app's own page in the main frame: an embedded frame never gets an answer.
      const frame = event.senderFrame;
      if (!frame || frame.parent || !isAllowedNavigation(frame.url, appUrl)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC from an unknown frame' } };
      }
      return fn(...args);
    });
  handle(IPC.query, (method, args) => viewer.query(method, args));
  handle(IPC.exportEvents, (args) => viewer.exportEvents(args));
  handle(IPC.openFile, () => viewer.openFile());
  handle(IPC.recentFiles, () => viewer.recentFiles());
  handle(IPC.openRecent, (args) => viewer.openRecent(args));

  const initial = fileFromArgs(process.argv);
  if (initial) {
    try {
      const info = await viewer.open(initial);
      win.setTitle(`${info.fileName} — Catalyst Events`);
    } catch (error) {
      dialog.showErrorBox('Cannot open the event log', error instanceof Error ? error.message : String(error));
    }
  }
  app.on('window-all-closed', () => {
    void viewer.close().finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  dialog.showErrorBox('Catalyst Events failed to start', error instanceof Error ? (error.stack ?? error.message) : String(error));
  app.quit();
});
