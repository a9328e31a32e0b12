import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreOpenError } from '../../errors';
import { assertSupportedVersion, readFeatures, type SchemaFeatures } from './schema/features';
import { migrate, type MigrationHooks } from './schema/migrate';
import { makePrivateCopy, needsPrivateCopy } from './private-copy';
import { repairInterruptedArchive } from './archive-segment';

/** How often a write retries after SQLITE_BUSY outlasted busy_timeout, before giving up. */
export const BUSY_RETRIES = 5;

export type Durability = 'off' | 'normal' | 'full';

export interface ConnectionOptions {
  file: string;
  readOnly: boolean;
  durability?: Durability;
  busyTimeoutMs?: number;
  cacheSizeKb?: number;
  now: number;
  migration?: MigrationHooks;
}

export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work`, retrying SQLITE_BUSY that outlasted busy_timeout up to BUSY_RETRIES more times
 * with short sleeps; `onFailure` runs after each failed try (to undo what it cached). The last
 * error is rethrown as it is.
 */
export function withBusyRetries<T>(work: () => T, onFailure?: () => void): T {
  for (let attempt = 0; ; attempt++) {
    try {
      return work();
    } catch (error) {
      onFailure?.();
      if (sqliteCode(error) !== 'SQLITE_BUSY' || attempt >= BUSY_RETRIES) throw error;
      sleepSync(5 + attempt * 20);
    }
  }
}

/**
 * WAL pages a writer lets accumulate before it checkpoints them into the file (SQLite's default
 * is 1,000). A commit rewrites the leaf page of every aggregate it touches, so with many live
 * aggregates nearly every commit of 1,000 events wrote ~1,000 pages and checkpointed them at
 * once (two fsyncs and as many random writes); 10,000 pages (~40 MB) checkpoint a hot page once
 * per ~10 commits. Measured on a 1M-event log over 1,000 aggregates, 100-event batches:
 * 20.7k -> 36.4k events/s; the commit that checkpoints takes up to ~70 ms instead of ~35 ms.
 * Not under durability 'full' (see openAt). A large file checkpoints less often still (see
 * checkpointPages).
 */
export const WAL_CHECKPOINT_PAGES = 10_000;
/** The longest interval checkpointPages gives a large file: 40,000 pages, ~160 MB of WAL. */
export const WAL_CHECKPOINT_MAX_PAGES = 40_000;

/**
 * The checkpoint interval for a file of `filePages` pages: WAL_CHECKPOINT_PAGES, or a quarter of
 * the file, up to WAL_CHECKPOINT_MAX_PAGES. The larger the log, the more distinct pages its hot
 * index leaves spread over and the more each checkpoint rewrites at random places: letting the
 * WAL grow with the file (never past a quarter of it) writes each hot page back once per more
 * commits. Measured on a 1M-event log over 1,000 live aggregates (600 MB, buffered): 36-40k ->
 * 40-45k events/s, 0.69-0.74 -> 0.82-0.83 of an empty log's rate; the cost is disk for the WAL
 * and a longer replay of it after a crash.
 */
export function checkpointPages(filePages: number): number {
  return Math.max(WAL_CHECKPOINT_PAGES, Math.min(WAL_CHECKPOINT_MAX_PAGES, Math.floor(filePages / 4)));
}

/** How long a connection waits for another's lock before SQLITE_BUSY, unless the store's options say otherwise. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** After a checkpoint resets the WAL, SQLite truncates the file to this: it stays near its working size. */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Opens the file with the store's pragmas. Read-only: readonly + query_only, never migrated.
 * Read-write: WAL, the durability setting, and the schema created or migrated.
 *
 * A read-only open that SQLite refuses only because it would have to write beside the file
 * (a WAL log in a read-only folder, a hot journal left by a killed writer) reads a private
 * copy instead, as of now (no live updates), and never touches the original.
 */
export function openConnection(options: ConnectionOptions): { db: Database.Database; features: SchemaFeatures } {
  try {
    return openAt(options, options.file);
  } catch (error) {
    if (!options.readOnly || !needsPrivateCopy(error) || !existsSync(options.file)) throw error;
    const copy = makePrivateCopy(options.file);
    try {
      const opened = openAt(options, copy.file, true);
      const close = opened.db.close.bind(opened.db);
      // The copy goes with the connection.
      opened.db.close = () => {
        close();
        copy.remove();
        return opened.db;
      };
      return opened;
    } catch (copyError) {
      copy.remove();
      throw copyError;
    }
  }
}

/** `path` is the file, or its private copy (`isCopy`: a read-write handle, so SQLite may roll back or index it; still never migrated). */
function openAt(options: ConnectionOptions, path: string, isCopy = false): { db: Database.Database; features: SchemaFeatures } {
  let db: Database.Database;
  try {
    db = new Database(path, !options.readOnly ? {} : isCopy ? { fileMustExist: true } : { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new StoreOpenError(options.file, (error as Error).message, { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`);
    // A writer: the default 2 MB page cache thrashes once a log's indexes outgrow it (index
    // pages get re-read for every insert); 64 MB keeps the hot index pages of a multi-million-
    // event log. A reader's scans stream through the file once: 4 MB holds the interior index
    // pages its lookups walk (a 1M-event verify runs no slower than with 16 MB, measured) without
    // a full-log scan (verify, stats) growing the process by a cache it never reuses.
    const defaultKb = options.readOnly ? 4_096 : 65_536;
    db.pragma(`cache_size = -${Math.max(2048, Math.floor(options.cacheSizeKb ?? defaultKb))}`);
    let features: SchemaFeatures;
    if (options.readOnly) {
      db.pragma('query_only = ON');
      features = readFeatures(db);
      assertSupportedVersion(options.file, features);
    } else {
      db.pragma(`synchronous = ${(options.durability ?? 'normal').toUpperCase()}`);
      // Under 'full' every commit syncs the WAL, and syncing a file that grows (a long
      // interval keeps it growing) costs more than syncing one rewritten in place: SQLite's
      // interval stays (3,071 vs 4,166 single-event commits/s, measured).
      if (options.durability !== 'full')
        db.pragma(`wal_autocheckpoint = ${checkpointPages(db.pragma('page_count', { simple: true }) as number)}`);
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      // Another process may be writing, or recovering the WAL, as this one opens.
      features = withBusyRetries(() => {
        if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
        return migrate(db, options.file, options.now, options.migration);
      });
      // An archive move a kill interrupted (issue 19) is finished on disk by the first writer.
      if (options.file !== ':memory:' && features.hasEventLog) repairInterruptedArchive(db, options.file, options.busyTimeoutMs);
    }
    if (!features.hasEventLog) throw new StoreOpenError(options.file, 'no event_log table: not an event log');
    return { db, features };
  } catch (error) {
    db.close();
    if (sqliteCode(error) === 'SQLITE_NOTADB') {
      throw new StoreOpenError(options.file, 'not a SQLite database', { cause: error });
    }
    if (sqliteCode(error)?.startsWith('SQLITE_')) {
      throw new StoreOpenError(options.file, (error as Error).message, { cause: error });
    }
    throw error;
  }
}
