/**
 * The part of Electron's API the viewer uses. Electron is an optional dependency that cannot be
 * installed on the build machines, so its own typings may be absent; this ambient module keeps
 * the shell type-checked either way (an ambient declaration takes precedence when both exist).
 */
declare module 'electron' {
  interface WebPreferences {
    preload?: string;
    contextIsolation?: boolean;
    sandbox?: boolean;
    nodeIntegration?: boolean;
    nodeIntegrationInWorker?: boolean;
    nodeIntegrationInSubFrames?: boolean;
    webSecurity?: boolean;
    allowRunningInsecureContent?: boolean;
    experimentalFeatures?: boolean;
    webviewTag?: boolean;
    navigateOnDragDrop?: boolean;
    spellcheck?: boolean;
    safeDialogs?: boolean;
  }
  interface WebFrameMain {
    url: string;
    /** The frame it is embedded in; null for a main frame. */
    parent: WebFrameMain | null;
  }
  /** will-frame-navigate's argument (Electron 25+): an Event carrying the navigation's details. */
  interface FrameNavigationEvent extends Event {
    url: string;
    isMainFrame: boolean;
    frame: WebFrameMain | null;
  }
  interface IpcMainInvokeEvent {
    senderFrame: WebFrameMain | null;
    sender: WebContents;
  }
  interface Event {
    preventDefault(): void;
  }
  interface WebContents {
    send(channel: string, ...args: unknown[]): void;
    isDestroyed(): boolean;
    getURL(): string;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
    on(event: 'will-navigate' | 'will-redirect', listener: (event: Event, url: string) => void): this;
    on(event: 'will-attach-webview', listener: (event: Event) => void): this;
    on(event: 'will-frame-navigate', listener: (event: FrameNavigationEvent) => void): this;
    session: Session;
  }
  interface Session {
    setPermissionRequestHandler(
      handler: ((wc: WebContents, permission: string, callback: (granted: boolean) => void) => void) | null,
    ): void;
    setPermissionCheckHandler(handler: ((wc: WebContents | null, permission: string) => boolean) | null): void;
    webRequest: {
      onBeforeRequest(
        filter: { urls: string[] },
        listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void,
      ): void;
    };
  }
  class BrowserWindow {
    constructor(options?: {
      width?: number;
      height?: number;
      minWidth?: number;
      minHeight?: number;
      title?: string;
      show?: boolean;
      backgroundColor?: string;
      webPreferences?: WebPreferences;
    });
    webContents: WebContents;
    loadFile(path: string): Promise<void>;
    loadURL(url: string): Promise<void>;
    setTitle(title: string): void;
    show(): void;
    once(event: 'ready-to-show', listener: () => void): this;
    on(event: 'closed', listener: () => void): this;
    isDestroyed(): boolean;
    static getAllWindows(): BrowserWindow[];
  }
  interface OpenDialogReturnValue {
    canceled: boolean;
    filePaths: string[];
  }
  interface SaveDialogReturnValue {
    canceled: boolean;
    filePath?: string;
  }
  interface FileFilter {
    name: string;
    extensions: string[];
  }
  const dialog: {
    showOpenDialog(
      window: BrowserWindow,
      options: { title?: string; properties?: string[]; filters?: FileFilter[] },
    ): Promise<OpenDialogReturnValue>;
    showSaveDialog(
      window: BrowserWindow,
      options: { title?: string; defaultPath?: string; filters?: FileFilter[] },
    ): Promise<SaveDialogReturnValue>;
    showErrorBox(title: string, content: string): void;
  };
  const app: {
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'before-quit', listener: () => void): void;
    on(event: 'activate', listener: () => void): void;
    on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): void;
    getPath(name: 'userData'): string;
    quit(): void;
    isPackaged: boolean;
    enableSandbox(): void;
  };
  const ipcMain: {
    handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  };
  const session: { defaultSession: Session };
  interface IpcRendererEvent {
    sender: unknown;
  }
  const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<never>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
    removeListener(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
  };
  const contextBridge: {
    exposeInMainWorld(key: string, api: unknown): void;
  };
}
