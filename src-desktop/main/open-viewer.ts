import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { openCatalystReader, openLog, type CatalystReader, type CatalystStore, type OpenedLog, type PluginEntry } from '../../src-core';
import { BUILTIN_PLUGINS } from './builtin-plugins';
import { ScanningCorruptRowFinder, SqliteCorruptRowFinder } from './corrupt-rows';
import { VIEWER_TOKENS } from './tokens';
import { ViewerService, type ViewerProbe, type ViewerSource } from './viewer-service';

export interface OpenViewerOptions {
  /** A SQLite event log (opened read-only). */
  file?: string;
  /** Or several files read as one log: a live file and its archive segments (or a directory of them). */
  files?: readonly string[];
  /** Or a PostgreSQL URL the forwarder ships logs to. */
  pg?: string;
  /** Plugin objects (bundled apps) or module specifiers. Default: the four built-ins. */
  plugins?: readonly PluginEntry[];
  /** Where relative plugin paths resolve from. */
  baseDir?: string;
  mode?: 'electron' | 'served';
  canOpenFiles?: boolean;
  pollMs?: number;
}

export interface OpenedViewer {
  service: ViewerService;
  container: DependencyContainer;
  /** The SQLite store, when the log is a file. */
  store: CatalystStore | null;
  /** A name for the log: the file path, or the redacted database URL. */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens a log for viewing the way the CLI's read commands do (openLog: SQLite readonly +
 * fileMustExist + query_only, never migrated; or PostgreSQL read-only), loads the plugins'
 * schemas and reducers into a reader container (only their `define` runs), and resolves the
 * viewer service from that same container.
 */
export async function openViewer(options: OpenViewerOptions): Promise<OpenedViewer> {
  if ([options.file, options.files, options.pg].filter((o) => o !== undefined).length !== 1) {
    throw new TypeError('openViewer needs exactly one of `file`, `files` or `pg`');
  }
  const log = await openLog(
    options.files !== undefined ? { files: options.files } : options.file !== undefined ? { db: options.file } : { pg: options.pg! },
  );
  let reader: CatalystReader;
  try {
    reader = await openCatalystReader(
      {},
      {
        store: log.store,
        plugins: options.plugins ?? BUILTIN_PLUGINS,
        ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}),
      },
    );
  } catch (error) {
    await log.close();
    throw error;
  }
  const probe = probeOf(log);
  if (options.pollMs !== undefined) probe.pollMs = options.pollMs;
  const source: ViewerSource = {
    file: log.label,
    backend: log.backend,
    mode: options.mode ?? 'served',
    canOpenFiles: options.canOpenFiles ?? false,
    plugins: reader.plugins.loaded().map(({ name, version }) => ({ name, version })),
  };
  const container = reader.container;
  container.register(VIEWER_TOKENS.Source, { useValue: source });
  container.register(VIEWER_TOKENS.Probe, { useValue: probe });
  const service = container.resolve(ViewerService);
  return {
    service,
    container,
    store: log.sqlite,
    location: log.label,
    async close() {
      service.close();
      await reader.close();
      await log.close();
    },
  };
}

/** A file tells commits by SQLite's data_version and shortlists corrupt rows itself; PostgreSQL is polled and scanned. */
function probeOf(log: OpenedLog): ViewerProbe {
  if (log.sqlite) return { versions: log.sqlite, corrupt: new SqliteCorruptRowFinder(log.inspector) };
  // Several files: polled like PostgreSQL; each file shortlists its corrupt rows itself.
  if (log.backend === 'sqlite') return { versions: null, corrupt: new SqliteCorruptRowFinder(log.inspector) };
  return { versions: null, corrupt: new ScanningCorruptRowFinder(log.store) };
}
