/**
 * The Electron preload: one typed API object on `window.catalyst`, through contextBridge.
 * Runs sandboxed (no Node): it only talks to the main process over fixed IPC channels.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_GLOBAL, IPC, type DataChange } from '../shared/api';
import { buildApi } from './build-api';

const api = buildApi({
  query: (method, args) => ipcRenderer.invoke(IPC.query, method, args),
  exportEvents: (args) => ipcRenderer.invoke(IPC.exportEvents, args),
  openFile: () => ipcRenderer.invoke(IPC.openFile),
  recentFiles: () => ipcRenderer.invoke(IPC.recentFiles),
  openRecent: (args) => ipcRenderer.invoke(IPC.openRecent, args),
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, change: DataChange) => listener(change);
    ipcRenderer.on(IPC.dataChanged, handler);
    return () => {
      ipcRenderer.removeListener(IPC.dataChanged, handler);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL, api);
