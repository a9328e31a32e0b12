import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { BUILTIN_PLUGINS } from './builtin-plugins';
import { openCatalystReader, type CatalystReader } from '../../src-core/container/create-catalyst';
import type { CatalystStore } from '../../src-core/container/create-container';
import type { PluginEntry } from '../../src-core/plugins/plugin-loader';
import { PostgresEventReader } from '../../src-core/store/postgres/postgres-event-reader';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { ScanningCorruptRowFinder, SqliteCorruptRowFinder } from './corrupt-rows';
import { VIEWER_TOKENS } from './tokens';
import { ViewerService, type ViewerProbe, type ViewerSource } from './viewer-service';

export interface OpenViewerOptions {
  /** A SQLite event log (opened read-only). */
  file?: string;
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
  store: SqliteEventStore | null;
  /** A name for the log: the file path, or the redacted database URL. */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens a log for viewing through the core's read-only entry (openCatalystReader): the store
 * read-only (readonly + fileMustExist + query_only, never migrated), the plugins' schemas and
 * reducers loaded, a rebuilder that folds in memory (a read-only store never writes
 * snapshots), and the viewer service resolved from that same container.
 */
export async function openViewer(options: OpenViewerOptions): Promise<OpenedViewer> {
  if ((options.file === undefined) === (options.pg === undefined)) {
    throw new TypeError('openViewer needs exactly one of `file` or `pg`');
  }
  const plugins = options.plugins ?? [...BUILTIN_PLUGINS];
  const loadOptions = { plugins, ...(options.baseDir !== undefined ? { baseDir: options.baseDir } : {}) };
  let reader: CatalystReader;
  let probe: ViewerProbe;
  let location: string;
  let pgReader: PostgresEventReader | null = null;
  if (options.file !== undefined) {
    reader = await openCatalystReader({ db: options.file, plugins: [] }, loadOptions);
    const store = reader.store as unknown as SqliteEventStore;
    location = store.file;
    probe = {
      versions: store,
      corrupt: new SqliteCorruptRowFinder(store),
    };
  } else {
    pgReader = await PostgresEventReader.open(options.pg!);
    try {
      // The reader container never writes (read-only emitter, no snapshot writes): the PG reader's
      // missing write methods are never called.
      reader = await openCatalystReader({ plugins: [] }, { ...loadOptions, store: pgReader as unknown as CatalystStore });
    } catch (error) {
      await pgReader.close();
      throw error;
    }
    location = pgReader.url;
    probe = { versions: null, corrupt: new ScanningCorruptRowFinder(pgReader) };
  }
  if (options.pollMs !== undefined) probe.pollMs = options.pollMs;
  const source: ViewerSource = {
    file: location,
    backend: pgReader ? 'postgres' : 'sqlite',
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
    store: pgReader ? null : (reader.store as unknown as SqliteEventStore),
    location,
    async close() {
      service.close();
      await reader.close();
      await pgReader?.close();
    },
  };
}

