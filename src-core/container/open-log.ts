import { expandSegmentPaths, openSegmentedLog } from '../segments/open-segments';
import { PostgresEventReader } from '../store/postgres/postgres-event-reader';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import { settled } from '../store/settled';
import type { LogInspector } from '../store/types';
import { type CatalystStore, readOnlyStore } from './read-only-store';

/** Which log to read: a SQLite file, or the PostgreSQL log the forwarder fills. */
export type LogTarget =
  | { db: string; busyTimeoutMs?: number }
  | { pg: string; pgSource?: string }
  /** Several SQLite files (a live file and its archive segments, or a directory of them) as one log. */
  | { files: readonly string[]; busyTimeoutMs?: number };

/** A log opened read-only, whatever the backend. */
export interface OpenedLog {
  /** Which kind of log was opened. */
  readonly backend: 'sqlite' | 'postgres';
  /** What to call the log in messages: the file path, or the URL with its password masked. */
  readonly label: string;
  /** What a reader container gets (openCatalystReader's `store`): every write refuses. */
  readonly store: CatalystStore;
  /** What tools need beyond events (corrupt rows, integrity, raw batches). */
  readonly inspector: LogInspector;
  /** The SQLite store itself, for checks that need the file; null for PostgreSQL. */
  readonly sqlite: SqliteEventStore | null;
  /** Closes the log and whatever was opened to read it. */
  close(): Promise<void>;
}

/**
 * THE place a backend is opened for reading (the CLI's read commands and the viewer both
 * come here). SQLite: readonly + fileMustExist + query_only, never migrated, byte-identical
 * afterwards. PostgreSQL: read-only sessions; it keeps no snapshots.
 */
export async function openLog(target: LogTarget): Promise<OpenedLog> {
  if ('pg' in target) {
    const reader = await PostgresEventReader.open(target.pg, target.pgSource !== undefined ? { source: target.pgSource } : {});
    return {
      backend: 'postgres',
      label: target.pgSource !== undefined ? `${reader.url} (source ${target.pgSource})` : reader.url,
      store: readOnlyStore(reader),
      inspector: reader,
      sqlite: null,
      close: () => reader.close(),
    };
  }
  if ('files' in target) {
    // Retention (issue 19): merged by global position, each event once; read-only like one file.
    const log = openSegmentedLog(expandSegmentPaths(target.files, process.cwd()), {
      ...(target.busyTimeoutMs !== undefined ? { busyTimeoutMs: target.busyTimeoutMs } : {}),
    });
    return { backend: 'sqlite', label: log.label, store: readOnlyStore(log), inspector: log, sqlite: null, close: () => log.close() };
  }
  const store = SqliteEventStore.open({
    file: target.db,
    readOnly: true,
    ...(target.busyTimeoutMs !== undefined ? { busyTimeoutMs: target.busyTimeoutMs } : {}),
  });
  return {
    backend: 'sqlite',
    label: store.file,
    store,
    inspector: store,
    sqlite: store,
    close: () => settled(() => store.close()),
  };
}
