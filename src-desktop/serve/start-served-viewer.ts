import type { PluginEntry } from '../../src-core';
import { openViewer } from '../main/open-viewer';
import { startViewerServer } from './http-server';
import { resolveRendererAssets } from './renderer-assets';

export interface ServedViewerOptions {
  /** A SQLite event log, or: */
  db?: string;
  /** several files read as one log (a live file and its archive segments), or: */
  files?: readonly string[];
  /** a PostgreSQL URL. */
  pg?: string;
  port: number;
  host?: '127.0.0.1';
  plugins?: readonly PluginEntry[];
  baseDir?: string;
  /** Default: random. Tests pass one to know it. */
  token?: string;
  pollMs?: number;
}

export interface ServedViewer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Opens the log read-only, finds (or builds) the renderer, and serves both on loopback. */
export async function startServedViewer(options: ServedViewerOptions): Promise<ServedViewer> {
  const assetsDir = await resolveRendererAssets();
  const viewer = await openViewer({
    ...(options.db !== undefined ? { file: options.db } : {}),
    ...(options.files !== undefined ? { files: options.files } : {}),
    ...(options.pg !== undefined ? { pg: options.pg } : {}),
    ...(options.plugins !== undefined ? { plugins: options.plugins } : {}),
    ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    mode: 'served',
  });
  try {
    const server = await startViewerServer({
      viewer: viewer.service,
      assetsDir,
      port: options.port,
      host: options.host ?? '127.0.0.1',
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
    return {
      url: server.url,
      port: server.port,
      token: server.token,
      async close() {
        await server.close();
        await viewer.close();
      },
    };
  } catch (error) {
    await viewer.close();
    throw error;
  }
}
