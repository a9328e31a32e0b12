import type { PluginEntry } from '../../src-core';
import type { DataChange, Envelope, ExportArgs, ExportOutcome, ViewerInfo } from '../shared/api';
import { NoFileOpenError, QueryArgumentError } from './errors';
import { exportToFile } from './export-file';
import { openViewer, type OpenedViewer } from './open-viewer';
import { dispatchQuery, toWireError } from './query-router';
import { exportArgsSchema, openRecentSchema } from './query-schemas';
import type { RecentFiles } from './recent-files';

export interface SessionOptions {
  plugins: readonly PluginEntry[];
  recent: RecentFiles;
  /** Where change notices go (the window's webContents in Electron). */
  notify: (change: DataChange) => void;
  /** Asks the user for a file to open; null when cancelled. */
  pickFile: () => Promise<string | null>;
  /** Asks the user where to save an export; null when cancelled. */
  pickSavePath: (suggestedName: string) => Promise<string | null>;
}

/**
 * What the Electron main process holds: the open log (at most one per window), its change
 * subscription, and the handlers its IPC channels call. No electron import, so it is tested
 * under Node with stand-ins for the dialogs.
 */
export class ViewerSession {
  private current: OpenedViewer | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly options: SessionOptions) {}

  async open(file: string): Promise<ViewerInfo> {
    const next = await openViewer({ file, plugins: this.options.plugins, mode: 'electron', canOpenFiles: true });
    await this.closeCurrent();
    this.current = next;
    this.unsubscribe = next.service.onDataChanged(this.options.notify);
    this.options.recent.add(next.location);
    return next.service.info();
  }

  query(method: unknown, args: unknown): Promise<Envelope<unknown>> {
    if (!this.current) return Promise.resolve({ ok: false, error: toWireError(new NoFileOpenError()) });
    return dispatchQuery(this.current.service, method, args);
  }

  async exportEvents(rawArgs: unknown): Promise<Envelope<ExportOutcome>> {
    return this.guard(async () => {
      const parsed = exportArgsSchema.safeParse(rawArgs);
      if (!parsed.success)
        throw new QueryArgumentError(
          'exportEvents',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        );
      if (!this.current) throw new NoFileOpenError();
      const args: ExportArgs = parsed.data;
      const path = await this.options.pickSavePath(`catalyst-events.${args.format}`);
      if (!path) return { started: false };
      const count = await exportToFile(this.current.service, args.filter, args.format, path);
      return { started: true, path, count };
    });
  }

  async openFile(): Promise<Envelope<ViewerInfo | null>> {
    return this.guard(async () => {
      const path = await this.options.pickFile();
      return path ? this.open(path) : null;
    });
  }

  async recentFiles() {
    return this.guard(() => Promise.resolve(this.options.recent.list()));
  }

  async openRecent(rawArgs: unknown): Promise<Envelope<ViewerInfo>> {
    return this.guard(async () => {
      const parsed = openRecentSchema.safeParse(rawArgs);
      if (!parsed.success)
        throw new QueryArgumentError(
          'openRecent',
          parsed.error.issues.map((i) => i.message),
        );
      // Only paths the user opened through a dialog or the command line.
      if (!this.options.recent.has(parsed.data.path)) throw new QueryArgumentError('openRecent', ['not a recent file']);
      return this.open(parsed.data.path);
    });
  }

  close(): Promise<void> {
    return this.closeCurrent();
  }

  private async closeCurrent(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const current = this.current;
    this.current = null;
    await current?.close();
  }

  private async guard<T>(fn: () => Promise<T>): Promise<Envelope<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  }
}
