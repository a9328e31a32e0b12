import { existsSync, statSync } from 'node:fs';
import type { CatalystStore } from '../container/create-container';
import { openLog, type OpenedLog } from '../container/open-log';
import { readOnlyStore } from '../container/read-only-store';
import { StoreOpenError } from '../errors';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import { settled } from '../store/settled';
import type { EventReader, LogInspector, SnapshotStore } from '../store/types';
import { CliUsageError } from './errors';
import type { LoadedConfig, OpenContext, PluginList, SourceOptions } from './source-options';
import { resolveConfig } from './source-options';

export {
  pluginsOf,
  resolveConfig,
  resolvePluginList,
  type LoadedConfig,
  type OpenContext,
  type PluginList,
  type SourceOptions,
} from './source-options';
import { openSegmentedLog, segmentFiles } from '../segments/open-segments';

/**
 * One opened log, whatever the backend. Commands read through `reader` and `snapshots`;
 * `sqlite` is there only for checks that need the file itself (quick_check, snapshot list).
 */
export interface LogSource {
  readonly backend: 'sqlite' | 'postgres';
  /** What to call the log in messages: the file path, or the URL with its password masked. */
  readonly label: string;
  readonly reader: EventReader;
  readonly snapshots: SnapshotStore;
  /** What a container's TOKENS.Store gets (the rebuilder and plugin loader run on it). */
  readonly store: CatalystStore;
  readonly sqlite: SqliteEventStore | null;
  /** The backend's checks beyond events (integrity, sequences, corrupt rows): what verify runs. */
  readonly inspector?: LogInspector;
  readonly config: LoadedConfig;
  /** The plugins a session over this log loads: config.plugins, else the application's list. */
  readonly plugins: PluginList;
  /** Closes the log and whatever was opened to read it. */
  close(): Promise<void>;
}

/**
 * THE place a backend is chosen for reading.
 * - SQLite (--db, the default): opened read-only (readonly, fileMustExist, query_only), never
 *   migrated, byte-identical afterwards, no -wal/-shm beside a rollback-journal file.
 * - PostgreSQL (--pg URL): the forwarded log, through read-only sessions; it keeps no snapshots.
 */
export async function openReader(options: SourceOptions, context: OpenContext): Promise<LogSource> {
  if (options.pg !== undefined) {
    if (options.db !== undefined) throw new CliUsageError('give either --db FILE or --pg URL, not both');
    const config = resolveConfig({ ...(options.config !== undefined ? { config: options.config } : {}) }, context);
    const log = await openLog({ pg: options.pg, ...(options.pgSource !== undefined ? { pgSource: options.pgSource } : {}) });
    return fromLog(log, config, context);
  }
  if (options.pgSource !== undefined) throw new CliUsageError('--pg-source needs --pg URL');
  const segmented = openSegmentedSource(options, context);
  if (segmented) return segmented;
  const config = resolveConfig(options, context);
  assertFile(config.db);
  return fromLog(await openLog({ db: config.db, busyTimeoutMs: config.busyTimeoutMs }), config, context);
}

function fromLog(log: OpenedLog, config: LoadedConfig, context: OpenContext): LogSource {
  return {
    backend: log.backend,
    label: log.label,
    reader: log.store,
    snapshots: log.store,
    store: log.store,
    sqlite: log.sqlite,
    inspector: log.inspector,
    config,
    plugins: config.plugins ?? context.plugins ?? [],
    close: () => log.close(),
  };
}

/**
 * For the commands that write snapshots. The file must already be an event log: it is first
 * opened read-only to check that (so a stray SQLite file is never given our tables), then
 * read-write, which migrates a seed-written file (our additions, WAL mode).
 */
export function openWriter(options: SourceOptions, context: OpenContext): LogSource {
  if ((options.dbFiles?.length ?? 0) > 1) throw new CliUsageError('this command writes one file: give --db once');
  if (options.pg !== undefined) throw new CliUsageError('--pg: snapshots are written to the SQLite file only; use --db FILE');
  const config = resolveConfig(options, context);
  const file = config.db;
  assertFile(file);
  SqliteEventStore.open({ file, readOnly: true, busyTimeoutMs: config.busyTimeoutMs }).close();
  const store = SqliteEventStore.open({
    file,
    durability: config.durability,
    busyTimeoutMs: config.busyTimeoutMs,
  });
  return sqliteSource(store, config, context);
}

// ---------------------------------------------------------------- retention (issue 19)

/**
 * Several --db files, or a directory of segments: one log, read-only, merged by global
 * position (archiving keeps each row's position). null for one plain file (the path above).
 */
function openSegmentedSource(options: SourceOptions, context: OpenContext): LogSource | null {
  const files = segmentFiles(options.dbFiles ?? (options.db !== undefined ? [options.db] : []), context.cwd);
  if (files === null) return null;
  const config = resolveConfig({ ...options, db: files[0]! }, context);
  const log = openSegmentedLog(files, { busyTimeoutMs: config.busyTimeoutMs });
  return {
    backend: 'sqlite',
    label: log.label,
    reader: log,
    snapshots: log,
    store: readOnlyStore(log),
    sqlite: null,
    config,
    plugins: config.plugins ?? context.plugins ?? [],
    close: () => log.close(),
  };
}

// ----------------------------------------------------------------

function assertFile(file: string): void {
  if (file === ':memory:') throw new CliUsageError('--db :memory: holds no events; give a file');
  if (!existsSync(file)) throw new StoreOpenError(file, 'no such file');
  if (statSync(file).isDirectory()) throw new StoreOpenError(file, 'is a directory, not a SQLite file');
}

function sqliteSource(store: SqliteEventStore, config: LoadedConfig, context: OpenContext): LogSource {
  return {
    backend: 'sqlite',
    label: store.file,
    reader: store,
    snapshots: store,
    store,
    sqlite: store,
    config,
    plugins: config.plugins ?? context.plugins ?? [],
    close: () => settled(() => store.close()),
  };
}
