import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { loadConfig } from '../config/config';

export interface ServeOptions {
  /** The SQLite log (default: the config's db). */
  db?: string;
  /** Or a PostgreSQL URL to read the shared log from. */
  pg?: string;
  /** 0 picks a free port. */
  port: number;
  /** Loopback only: the viewer is never exposed on a network interface. */
  host?: '127.0.0.1';
  /** Open the URL in the default browser. */
  open?: boolean;
}

export interface ServeHandle {
  /** `http://127.0.0.1:PORT/?token=...`: the only way in. */
  url: string;
  close(): Promise<void>;
}

/** Best effort: a workstation without a desktop just prints the URL. */
function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    spawn(command, args, { detached: true, stdio: 'ignore' }).on('error', () => undefined).unref();
  } catch {
    // no opener installed
  }
}

/**
 * `catalyst-events serve`: the desktop viewer's renderer and queries over HTTP, read-only, on
 * 127.0.0.1, behind a random token. The viewer lives in src-desktop; the core reaches it by a
 * run-time import (never a static one), so the core keeps no build-time dependency on it.
 */
export async function runServe(options: ServeOptions): Promise<ServeHandle> {
  if (options.host !== undefined && options.host !== '127.0.0.1') {
    throw new Error('serve listens on 127.0.0.1 only');
  }
  const config = loadConfig(options.db !== undefined ? { overrides: { db: options.db } } : {});
  const viewerModule = new URL('../../src-desktop/serve/start-served-viewer.ts', import.meta.url).href;
  const { startServedViewer } = (await import(viewerModule)) as typeof import('../../src-desktop/serve/start-served-viewer');
  const served = await startServedViewer({
    ...(options.pg !== undefined ? { pg: options.pg } : { db: config.db }),
    port: options.port,
    host: '127.0.0.1',
    plugins: config.plugins,
    baseDir: config.configFile ? dirname(config.configFile) : process.cwd(),
  });
  if (options.open) openInBrowser(served.url);
  return { url: served.url, close: () => served.close() };
}
