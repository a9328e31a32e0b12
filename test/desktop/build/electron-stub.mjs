// A stand-in for the `electron` module, so the bundled main process and preload run under
// plain Node in tests (Electron's binary cannot be installed on these machines). It records
// what the app asks of Electron and lets the test drive IPC handlers and event listeners.
// STUB_PACKAGED=1 makes app.isPackaged true, as in an installed app.
export const state = {
  sandboxEnabled: false,
  windows: [],
  handlers: new Map(),
  appListeners: new Map(),
  requestFilters: [],
  permissionRequest: null,
  permissionCheck: null,
  errors: [],
  quit: false,
};

const defaultSession = {
  webRequest: {
    onBeforeRequest(filter, listener) {
      state.requestFilters.push({ filter, listener });
    },
  },
  setPermissionRequestHandler(handler) {
    state.permissionRequest = handler;
  },
  setPermissionCheckHandler(handler) {
    state.permissionCheck = handler;
  },
};

function makeContents() {
  const listeners = new Map();
  return {
    sent: [],
    windowOpenHandler: null,
    listeners,
    session: defaultSession,
    send(channel, ...args) {
      this.sent.push({ channel, args });
    },
    isDestroyed: () => false,
    getURL: () => '',
    setWindowOpenHandler(handler) {
      this.windowOpenHandler = handler;
    },
    on(event, listener) {
      listeners.set(event, listener);
      return this;
    },
  };
}

export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = makeContents();
    this.loaded = null;
    this.title = options?.title ?? '';
    state.windows.push(this);
    // What Electron does for every new web contents.
    for (const listener of state.appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
  }
  loadFile(path) {
    this.loaded = { file: path };
    return Promise.resolve();
  }
  loadURL(url) {
    this.loaded = { url };
    return Promise.resolve();
  }
  setTitle(title) {
    this.title = title;
  }
  show() {}
  once() {
    return this;
  }
  on() {
    return this;
  }
  isDestroyed() {
    return false;
  }
  static getAllWindows() {
    return state.windows;
  }
}

export const app = {
  isPackaged: process.env.STUB_PACKAGED === '1',
  enableSandbox() {
    state.sandboxEnabled = true;
  },
  whenReady: () => Promise.resolve(),
  on(event, listener) {
    const list = state.appListeners.get(event) ?? [];
    list.push(listener);
    state.appListeners.set(event, list);
  },
  getPath: () => process.env.STUB_USER_DATA,
  quit() {
    state.quit = true;
  },
};

export const ipcMain = {
  handle(channel, listener) {
    state.handlers.set(channel, listener);
  },
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  showSaveDialog: async () => ({ canceled: true }),
  showErrorBox(title, content) {
    state.errors.push(`${title}: ${content}`);
  },
};

export const session = { defaultSession };
export const contextBridge = { exposeInMainWorld() {} };
export const ipcRenderer = { invoke: async () => undefined, on() {}, removeListener() {} };

export default { state, BrowserWindow, app, ipcMain, dialog, session, contextBridge, ipcRenderer };
