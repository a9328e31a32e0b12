/**
 * The store-side operations of archiving (issue 19): copy an aggregate's rows, with their
 * global positions, into a segment file; verify the copy; remove them from the live file in
 * the one sanctioned exception to the append-only triggers; repair what a kill left. Raw SQL
 * lives here, inside the store, on connections this module opens by path (never the store's
 * own handle).
 *
 * Two SQLite files in WAL mode cannot commit together (the super-journal covers rollback
 * journals only), so a move has one commit point, the live file's, and steps around it. One
 * connection has the archive as `main` and the live file attached:
 *   A. live: a catalyst_archive_log row, state 'copying' (the intent: names the archive file).
 *   B. archive only (a deferred transaction: the live file's appenders do not wait): copy the
 *      rows with their positions and verify the copy, count and SHA-256 of every column and
 *      position of the copies against the originals; the batch records them ('copied').
 *   M. BEGIN IMMEDIATE, both write locks: check the batch is still 'copied' (no repair undid
 *      the copy) and every verified original still live (the triggers forbid changing one;
 *      only a move deletes, under these locks), write the snapshots of what stays, delete the
 *      rows, prefixes, state 'done'. Only the live file is written: its commit is THE commit
 *      point of the move. A failure before it undoes the copy at once.
 *   D. archive: batch 'done' (cosmetic: the live file's word is what counts).
 * Before M commits the move has not happened; after, the rows are in the archive only. Readers
 * of ours see each event once at every instant (a merge by event id drops a copy). On disk,
 * a kill between B's commit and M's leaves the copies in the archive too: the next read-write
 * open of either file (`repairInterruptedArchive`, called by every writable open of a log: the
 * bot's start, createCatalyst, a writer, an archive run) deletes them, no second run needed.
 *
 * Repairs take both write locks in the same order (archive, then live) and re-read the live
 * file's state under them. A repair that finds a batch 'copying' whose archiver is in fact
 * alive (between A and M) undoes what is there and leaves a tombstone (batch 'rolled_back')
 * that the archiver's next step finds: it gives up that batch, nothing moved, and starts a new
 * one. A repair commits the archive before the live file, so a kill between leaves 'copying'
 * over a clean archive, which the next repair merely marks.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CatalystError, StoreOpenError } from '../../errors';
import { snapshotChecksum } from '../snapshot-checksum';

/** The copy in the archive does not match the rows in the live file: nothing was removed. */
export class ArchiveVerifyError extends CatalystError {
  readonly code = 'ARCHIVE_VERIFY';
}

/** Move an aggregate's events with sequence_number <= upToSequence. */
export interface MoveSelection {
  aggregate_type: string;
  aggregate_id: string;
  upToSequence: number;
  /** Every event of the aggregate moves: its snapshot in the live file goes with it. */
  whole: boolean;
}

export interface SnapshotToWrite {
  aggregate_type: string;
  aggregate_id: string;
  state: unknown;
  reducer_version: number;
  last_event_id: string;
  last_sequence_number: number;
}

export type ArchiveStage = 'intent' | 'copied' | 'removed' | 'done';

export interface MoveOptions {
  liveFile: string;
  archiveFile: string;
  batchId: string;
  selection: readonly MoveSelection[];
  snapshots: readonly SnapshotToWrite[];
  now: number;
  busyTimeoutMs?: number;
  /** Called after each step commits (tests stop here; a progress line reports it). */
  onStage?: (stage: ArchiveStage) => void;
}

export interface MoveResult {
  batchId: string;
  events: number;
  checksum: string;
  firstPosition: number | null;
  lastPosition: number | null;
  snapshotsWritten: number;
}

const ROW_COLUMNS = 'event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number';

const LIVE_LOG_DDL = `CREATE TABLE IF NOT EXISTS catalyst_archive_log (
    batch_id TEXT PRIMARY KEY,
    archive_file TEXT NOT NULL,
    state TEXT NOT NULL,
    events INTEGER,
    checksum TEXT,
    first_position INTEGER,
    last_position INTEGER,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
)`;

const ARCHIVE_BATCHES_DDL = `CREATE TABLE IF NOT EXISTS catalyst_archive_batches (
    batch_id TEXT PRIMARY KEY,
    live_file TEXT NOT NULL,
    state TEXT NOT NULL,
    events INTEGER NOT NULL,
    checksum TEXT NOT NULL,
    created_at INTEGER NOT NULL
)`;

/** A move the live file no longer expects (a repair undid its intent before the copy began): nothing moved. */
export class ArchiveCancelledError extends CatalystError {
  readonly code = 'ARCHIVE_CANCELLED';
}

/** Per aggregate whose first events were archived and whose later ones stay: what verify reads. */
const LIVE_PREFIX_DDL = `CREATE TABLE IF NOT EXISTS live.catalyst_archive_prefixes (
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    up_to_sequence INTEGER NOT NULL,
    batch_id TEXT NOT NULL,
    PRIMARY KEY (aggregate_type, aggregate_id)
)`;

function open(file: string, busyTimeoutMs = 5000): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

function hasTable(db: Database.Database, schema: string, name: string): boolean {
  return !!db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(name);
}

/** The SQL of these triggers as the file holds it, to put back exactly as it was. */
function triggerSql(db: Database.Database, schema: string, names: readonly string[]): { name: string; sql: string }[] {
  return names.map((name) => {
    const sql = db.prepare(`SELECT sql FROM ${schema}.sqlite_master WHERE type = 'trigger' AND name = ?`).pluck().get(name) as
      string | undefined;
    if (!sql) throw new StoreOpenError(db.name, `trigger ${name} is missing: not a log this version archives`);
    return { name, sql };
  });
}

/**
 * Runs `work` with these triggers of `schema` dropped, inside the caller's transaction: DDL is
 * transactional in SQLite, so a rollback or a kill puts them back with everything else. In an
 * attached schema the name is qualified on the way back; SQLite stores the text from the
 * trigger's name on, so sqlite_master holds exactly the SQL it held before.
 */
function withoutTriggers<T>(db: Database.Database, schema: string, names: readonly string[], work: () => T): T {
  const saved = triggerSql(db, schema, names);
  for (const { name } of saved) db.exec(`DROP TRIGGER ${schema}.${name}`);
  const result = work();
  for (const { sql } of saved) db.exec(schema === 'main' ? sql : sql.replace(/^CREATE\s+TRIGGER\s+/i, `CREATE TRIGGER ${schema}.`));
  return result;
}

/** The selection as a temp table the joins below read. */
function loadSelection(db: Database.Database, selection: readonly MoveSelection[]): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS archive_selection (
             aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, up_to INTEGER NOT NULL, whole INTEGER NOT NULL,
             PRIMARY KEY (aggregate_type, aggregate_id))`);
  const insert = db.prepare('INSERT INTO temp.archive_selection VALUES (?, ?, ?, ?)');
  // One transaction for the lot (one per row was ~5 µs each: 0.2 s for 45,000 aggregates).
  db.transaction(() => {
    db.exec('DELETE FROM temp.archive_selection');
    for (const s of selection) insert.run(s.aggregate_type, s.aggregate_id, s.upToSequence, s.whole ? 1 : 0);
  })();
}

/** How a file's event_position finds its row: by event_log's rowid (schema 2) or its event_id (schema 1). */
type PositionLink = 'log_rowid' | 'event_id';

function positionLink(db: Database.Database, schema: string): PositionLink {
  const columns = db.prepare(`SELECT name FROM ${schema}.pragma_table_info('event_position')`).pluck().all() as string[];
  if (columns.includes('log_rowid')) return 'log_rowid';
  if (columns.includes('event_id')) return 'event_id';
  throw new StoreOpenError(db.name, `${schema}: event_position has neither log_rowid nor event_id: not a log this version archives`);
}

/** Joins `schema`'s positions (as `position`) to its rows (`row`). */
function joinPosition(db: Database.Database, schema: string, row = 'e', position = 'p'): string {
  return positionLink(db, schema) === 'log_rowid'
    ? `JOIN ${schema}.event_position ${position} ON ${position}.log_rowid = ${row}.rowid`
    : `JOIN ${schema}.event_position ${position} ON ${position}.event_id = ${row}.event_id`;
}

/**
 * The selected rows of one attached schema, in position order; with `alsoIn`, only those whose
 * event is in that schema's log too (an archive holds earlier moves of the same aggregates:
 * what this move takes is what the live file still has).
 */
function selectedRowsSql(db: Database.Database, schema: string, columns: string, alsoIn?: string): string {
  return `SELECT ${columns} FROM ${schema}.event_log e
          JOIN temp.archive_selection s ON s.aggregate_type = e.aggregate_type AND s.aggregate_id = e.aggregate_id
                                       AND e.sequence_number <= s.up_to
          ${joinPosition(db, schema)}
          ${alsoIn ? `WHERE e.event_id IN (SELECT event_id FROM ${alsoIn}.event_log)` : ''}
          ORDER BY p.position`;
}

/** Deletes the rows of `schema` (and their positions) that `rowsSql` names as (log_rowid, event_id); triggers already dropped. */
function deleteRows(db: Database.Database, schema: string, rowsSql: string): void {
  db.exec(`CREATE TEMP TABLE archive_gone AS ${rowsSql}`);
  if (positionLink(db, schema) === 'log_rowid') {
    db.exec(`DELETE FROM ${schema}.event_position WHERE log_rowid IN (SELECT log_rowid FROM temp.archive_gone)`);
  } else {
    db.exec(`DELETE FROM ${schema}.event_position WHERE event_id IN (SELECT event_id FROM temp.archive_gone)`);
  }
  db.exec(`DELETE FROM ${schema}.event_log WHERE rowid IN (SELECT log_rowid FROM temp.archive_gone)`);
  db.exec('DROP TABLE temp.archive_gone');
}

interface Digest {
  events: number;
  checksum: string;
  first: number | null;
  last: number | null;
}

/** Characters of row text handed to the hash at once. */
const DIGEST_CHUNK = 1 << 16;

/**
 * The live rows the copy takes, in position order (temp.archive_rows, made in the copy's
 * transaction): `r` the position and `e` the row. CROSS JOIN keeps the walk in position order.
 */
const SELECTED_LIVE_ROWS = 'temp.archive_rows r CROSS JOIN live.event_log e ON e.rowid = r.log_rowid';

/** Every column a digest hashes after the position (`e`: the row). */
const DIGEST_COLUMNS = `e.event_id, e.event_type, e.aggregate_type, e.aggregate_id,
  CAST(e.payload AS TEXT) AS payload, CAST(e.metadata AS TEXT) AS metadata, e.created_at, e.sequence_number`;

/**
 * How many of the selected originals have a copy in the archive (main) equal to them in every
 * column (`IS`: type and bytes, NULL matching NULL) and at the same position.
 */
function matchingCopies(db: Database.Database): number {
  return db
    .prepare(
      `SELECT COUNT(*) FROM ${SELECTED_LIVE_ROWS}
       JOIN main.event_log a ON a.event_id = e.event_id
       ${joinPosition(db, 'main', 'a', 'ap')}
       WHERE ap.position = r.position
         AND a.event_type IS e.event_type AND a.aggregate_type IS e.aggregate_type AND a.aggregate_id IS e.aggregate_id
         AND a.payload IS e.payload AND a.metadata IS e.metadata
         AND a.created_at IS e.created_at AND a.sequence_number IS e.sequence_number`,
    )
    .pluck()
    .get() as number;
}

/** Count and SHA-256 over every column of the rows `sql` selects (the position, then DIGEST_COLUMNS), in its order. */
function digest(db: Database.Database, sql: string): Digest {
  const hash = createHash('sha256');
  let events = 0;
  let first: number | null = null;
  let last: number | null = null;
  const rows = db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>;
  // The bytes hashed are each row's JSON and a newline, as ever (checksums are kept in the
  // archive); handed to the hash ~64 KB at a time instead of twice per row.
  let pending = '';
  for (const row of rows) {
    events++;
    const position = row[0] as number;
    first ??= position;
    last = position;
    pending += `${JSON.stringify(row)}\n`;
    if (pending.length >= DIGEST_CHUNK) {
      hash.update(pending);
      pending = '';
    }
  }
  if (pending !== '') hash.update(pending);
  return { events, checksum: hash.digest('hex'), first, last };
}

function attach(db: Database.Database, file: string, as: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${as}`).run(file);
}

/**
 * Moves the selected events from the live file into the archive file (both already logs of
 * this schema version: the caller opens them for writing first), keeping their global
 * positions, and writes the snapshots for aggregates that stay live, in the steps the module
 * comment describes.
 */
export function moveToArchive(options: MoveOptions): MoveResult {
  // A repair that ran between this move's intent and its transaction cancels the batch (its
  // tombstone is in the archive): a fresh batch id, a fresh intent. Twice in a row is not luck.
  for (let attempt = 1; ; attempt++) {
    const batchId = attempt === 1 ? options.batchId : `${options.batchId}.${attempt}`;
    try {
      return moveOnce({ ...options, batchId });
    } catch (error) {
      if (!(error instanceof ArchiveCancelledError) || attempt >= 3) throw error;
    }
  }
}

function moveOnce(options: MoveOptions): MoveResult {
  const { liveFile, archiveFile, batchId, now } = options;
  // A. The intent, so a repair finds a half-done move from the live file alone.
  const live = open(liveFile, options.busyTimeoutMs);
  try {
    live.exec(LIVE_LOG_DDL);
    live
      .prepare("INSERT INTO catalyst_archive_log (batch_id, archive_file, state, started_at) VALUES (?, ?, 'copying', ?)")
      .run(batchId, archiveFile, now);
  } finally {
    live.close();
  }
  options.onStage?.('intent');

  const db = open(archiveFile, options.busyTimeoutMs);
  let moved: Digest;
  try {
    db.exec(ARCHIVE_BATCHES_DDL);
    attach(db, liveFile, 'live');
    loadSelection(db, options.selection);

    // B. The copy: a deferred transaction that writes the archive only, so the live file's
    // appenders never wait for it (it reads the live rows, which nothing else may change).
    db.transaction(() => {
      // The first statement writes the archive (its lock, waited for); the checks read under it.
      // A repair between the intent and here left a tombstone row for the batch, or its live state changed.
      const fresh = db
        .prepare(
          `INSERT INTO main.catalyst_archive_batches (batch_id, live_file, state, events, checksum, created_at) VALUES (?, ?, 'copying', 0, '', ?)
           ON CONFLICT(batch_id) DO NOTHING`,
        )
        .run(batchId, liveFile, now).changes;
      const intent = db.prepare('SELECT state FROM live.catalyst_archive_log WHERE batch_id = ?').pluck().get(batchId);
      if (fresh !== 1 || intent !== 'copying') {
        throw new ArchiveCancelledError(`archive batch ${batchId} was undone by a repair before it began; nothing moved`);
      }
      // The selected live rows, sorted by position once (narrow rows): the copy and the
      // originals' digest walk them instead of each sorting the rows whole.
      db.exec('DROP TABLE IF EXISTS temp.archive_rows');
      db.exec('CREATE TEMP TABLE archive_rows (position INTEGER PRIMARY KEY, log_rowid INTEGER NOT NULL)');
      db.exec(`INSERT INTO temp.archive_rows ${selectedRowsSql(db, 'live', 'p.position, e.rowid')}`);
      // The position trigger would number the copies anew: they keep the live file's positions.
      withoutTriggers(db, 'main', ['trg_event_log_position'], () => {
        db.exec(`INSERT INTO main.event_log (${ROW_COLUMNS}) SELECT ${ROW_COLUMNS.replace(/(\w+)/g, 'e.$1')} FROM ${SELECTED_LIVE_ROWS}`);
        if (positionLink(db, 'main') === 'log_rowid') {
          // Positions link to the copies' own rowids in this file.
          db.exec(`INSERT INTO main.event_position (position, log_rowid)
                   SELECT r.position, a.rowid FROM ${SELECTED_LIVE_ROWS} JOIN main.event_log a ON a.event_id = e.event_id`);
        } else {
          db.exec(`INSERT INTO main.event_position (position, event_id) SELECT r.position, e.event_id FROM ${SELECTED_LIVE_ROWS}`);
        }
      });
      // Snapshots of aggregates that leave the live file whole travel with them.
      db.exec(`INSERT OR REPLACE INTO main.event_snapshots SELECT n.* FROM live.event_snapshots n
               JOIN temp.archive_selection s ON s.aggregate_type = n.aggregate_type AND s.aggregate_id = n.aggregate_id AND s.whole = 1`);
      // Verify: the copies (rows of the archive whose event the live file still holds) against
      // the originals. The copies are hashed (the checksum the archive keeps); SQLite compares
      // each original with its copy, every column and the position, which says as much as
      // hashing the originals too. The originals cannot change after this (the triggers forbid
      // it; only a move, holding both locks, deletes): the delete below re-checks under the
      // locks that they are all still there.
      const copied = digest(db, selectedRowsSql(db, 'main', `p.position, ${DIGEST_COLUMNS}`, 'live'));
      const originals = db.prepare('SELECT COUNT(*) FROM temp.archive_rows').pluck().get() as number;
      const equal = matchingCopies(db);
      if (originals !== copied.events || equal !== originals) {
        throw new ArchiveVerifyError(
          `the copy in ${archiveFile} does not match ${liveFile} (${copied.events} copies of ${originals} events, ` +
            `${equal} equal to their original in every column and position): nothing was moved`,
        );
      }
      db.prepare("UPDATE main.catalyst_archive_batches SET state = 'copied', events = ?, checksum = ? WHERE batch_id = ?").run(
        copied.events,
        copied.checksum,
        batchId,
      );
    })();
    options.onStage?.('copied');

    // M. Both write locks (archive first, as every repair takes them): the copy still there
    // (batch 'copied') and every verified original too, snapshot what stays, delete. Only the
    // live file is written: its commit is the move's one commit point.
    moved = db
      .transaction(() => {
        // A repair since B would have deleted the copies and left the batch 'rolled_back'.
        const batch = db.prepare('SELECT state, events, checksum FROM main.catalyst_archive_batches WHERE batch_id = ?').get(batchId) as
          { state: string; events: number; checksum: string } | undefined;
        const intent = db.prepare('SELECT state FROM live.catalyst_archive_log WHERE batch_id = ?').pluck().get(batchId);
        if (batch?.state !== 'copied' || intent !== 'copying') {
          throw new ArchiveCancelledError(`archive batch ${batchId} was undone by a repair before its delete; nothing moved`);
        }
        // The verified originals, all still in the live file (a concurrent move may not have taken any).
        const here = db
          .prepare(
            `SELECT COUNT(*) AS events, MIN(position) AS first, MAX(position) AS last FROM (${selectedRowsSql(db, 'live', 'p.position AS position')})`,
          )
          .get() as { events: number; first: number | null; last: number | null };
        if (here.events !== batch.events) {
          throw new ArchiveVerifyError(
            `${liveFile} holds ${here.events} of the ${batch.events} events copied to ${archiveFile}: nothing was removed`,
          );
        }
        writeSnapshots(db, options);
        // The one sanctioned delete: the triggers are dropped and recreated in this transaction.
        withoutTriggers(db, 'live', ['trg_event_log_no_delete', 'trg_event_position_no_delete'], () => {
          deleteRows(db, 'live', selectedRowsSql(db, 'live', 'e.rowid AS log_rowid, e.event_id AS event_id'));
        });
        db.exec(`DELETE FROM live.event_snapshots WHERE EXISTS (SELECT 1 FROM temp.archive_selection s
                   WHERE s.aggregate_type = event_snapshots.aggregate_type AND s.aggregate_id = event_snapshots.aggregate_id AND s.whole = 1)`);
        // What stays of a partly archived aggregate starts past 1: verify on the live file alone reads why.
        db.exec(LIVE_PREFIX_DDL);
        db.prepare(
          `INSERT INTO live.catalyst_archive_prefixes (aggregate_type, aggregate_id, up_to_sequence, batch_id)
           SELECT aggregate_type, aggregate_id, up_to, ? FROM temp.archive_selection WHERE whole = 0
           ON CONFLICT(aggregate_type, aggregate_id) DO UPDATE SET up_to_sequence = MAX(up_to_sequence, excluded.up_to_sequence),
             batch_id = excluded.batch_id`,
        ).run(batchId);
        db.prepare(
          `UPDATE live.catalyst_archive_log SET state = 'done', events = ?, checksum = ?, first_position = ?, last_position = ?, finished_at = ?
           WHERE batch_id = ?`,
        ).run(here.events, batch.checksum, here.first, here.last, now, batchId);
        return { events: here.events, checksum: batch.checksum, first: here.first, last: here.last };
      })
      .immediate();
    db.exec('DETACH DATABASE live');
  } catch (error) {
    db.close();
    // Nothing moved: the copy (if B committed) goes now rather than at the next writable open.
    try {
      undoMove(liveFile, archiveFile, batchId, now, options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {});
    } catch {
      // left to the next writable open of either file
    }
    throw error;
  } finally {
    if (db.open) db.close();
  }
  options.onStage?.('removed');

  // D. Cosmetic: the archive's own record says the move finished.
  markBatchDone(archiveFile, batchId, options.busyTimeoutMs);
  options.onStage?.('done');
  return {
    batchId,
    events: moved.events,
    checksum: moved.checksum,
    firstPosition: moved.first,
    lastPosition: moved.last,
    snapshotsWritten: options.snapshots.length,
  };
}

/** The snapshots of aggregates that stay live, into the attached live file (with their checksum, where it has the column). */
function writeSnapshots(db: Database.Database, options: MoveOptions): void {
  const withChecksum =
    (db.prepare("SELECT 1 FROM live.pragma_table_info('event_snapshots') WHERE name = 'state_checksum'").pluck().get() ?? 0) === 1;
  const save = db.prepare(
    `INSERT INTO live.event_snapshots (snapshot_id, aggregate_type, aggregate_id, state, last_event_id, last_sequence_number, created_at, reducer_version${withChecksum ? ', state_checksum' : ''})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?${withChecksum ? ', ?' : ''})
     ON CONFLICT(aggregate_type, aggregate_id) DO UPDATE SET
       snapshot_id = excluded.snapshot_id, state = excluded.state, last_event_id = excluded.last_event_id,
       last_sequence_number = excluded.last_sequence_number, created_at = excluded.created_at,
       reducer_version = excluded.reducer_version${withChecksum ? ', state_checksum = excluded.state_checksum' : ''}`,
  );
  for (const s of options.snapshots) {
    save.run(
      `${options.batchId}:${s.aggregate_type}:${s.aggregate_id}`,
      s.aggregate_type,
      s.aggregate_id,
      JSON.stringify(s.state),
      s.last_event_id,
      s.last_sequence_number,
      options.now,
      s.reducer_version,
      ...(withChecksum ? [snapshotChecksum(s)] : []),
    );
  }
}

function markBatchDone(archiveFile: string, batchId: string, busyTimeoutMs?: number): void {
  const archive = open(archiveFile, busyTimeoutMs);
  try {
    archive.prepare("UPDATE catalyst_archive_batches SET state = 'done' WHERE batch_id = ? AND state = 'copied'").run(batchId);
  } finally {
    archive.close();
  }
}

export interface RecoveryResult {
  /** Moves that had not committed in the live file: their copies (if any) deleted from the archive. */
  rolledBack: string[];
  /** Moves whose live commit happened but whose archive record lagged: marked done. */
  completed: string[];
}

/** How a repair waits for the two files' write locks. */
interface RepairOptions {
  busyTimeoutMs?: number;
  /**
   * At a writable open: the archive's lock is not waited for. Held, it means an archiver (or
   * another repair) is at work on that file right now: the repair leaves the batch to it and
   * the open goes on at once; the next open looks again.
   */
  skipWhenBusy?: boolean;
}

const isBusy = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'SQLITE_BUSY';

/**
 * Undoes one move the live file records as 'copying', if it still is under both write locks
 * (archive first, then live, as a move takes them): the archive's rows whose event the live
 * file still holds go (the live row is the one), the archive keeps a tombstone for the batch,
 * and the live file says 'rolled_back'. The archive commits first, so a kill in between
 * leaves 'copying' over a clean archive: the next repair finds nothing to delete and only
 * marks it. Returns whether it undid the move.
 */
function undoMove(liveFile: string, archiveFile: string, batchId: string, now: number, options: RepairOptions = {}): boolean {
  if (!existsSync(archiveFile) || !isEventLog(archiveFile)) {
    // No archive (or one killed before it became a log): no copy anywhere, the rows are live.
    const live = open(liveFile, options.busyTimeoutMs);
    try {
      return (
        live
          .prepare("UPDATE catalyst_archive_log SET state = 'rolled_back', finished_at = ? WHERE batch_id = ? AND state = 'copying'")
          .run(now, batchId).changes === 1
      );
    } finally {
      live.close();
    }
  }
  const db = open(archiveFile, options.skipWhenBusy ? 0 : options.busyTimeoutMs);
  try {
    db.exec(ARCHIVE_BATCHES_DDL);
    attach(db, liveFile, 'live');
    const undone = db.transaction(() => {
      // The locks in a move's order, each taken by a write that changes nothing: the archive's
      // (not waited for at an open), then the live file's (waited for: appends hold it briefly).
      db.prepare('UPDATE main.catalyst_archive_batches SET state = state WHERE 0').run();
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.prepare('UPDATE live.catalyst_archive_log SET state = state WHERE 0').run();
      if (db.prepare('SELECT state FROM live.catalyst_archive_log WHERE batch_id = ?').pluck().get(batchId) !== 'copying') return false;
      withoutTriggers(db, 'main', ['trg_event_log_no_delete', 'trg_event_position_no_delete'], () => {
        deleteRows(
          db,
          'main',
          'SELECT rowid AS log_rowid, event_id FROM main.event_log WHERE event_id IN (SELECT event_id FROM live.event_log)',
        );
      });
      db.prepare(
        `INSERT INTO main.catalyst_archive_batches (batch_id, live_file, state, events, checksum, created_at) VALUES (?, ?, 'rolled_back', 0, '', ?)
         ON CONFLICT(batch_id) DO UPDATE SET state = 'rolled_back'`,
      ).run(batchId, liveFile, now);
      db.prepare("UPDATE live.catalyst_archive_log SET state = 'rolled_back', finished_at = ? WHERE batch_id = ?").run(now, batchId);
      return true;
    })();
    db.exec('DETACH DATABASE live');
    return undone;
  } catch (error) {
    if (options.skipWhenBusy && isBusy(error)) return false;
    throw error;
  } finally {
    db.close();
  }
}

function isEventLog(file: string): boolean {
  const db = new Database(file, { fileMustExist: true });
  try {
    return hasTable(db, 'main', 'event_position') && hasTable(db, 'main', 'event_log');
  } finally {
    db.close();
  }
}

/**
 * Finishes what a killed archive left, from the live file's side: every move it records as
 * 'copying' is undone (each row in exactly one file again); with `lagging`, every archive
 * record of a finished move still saying 'copied' is marked done.
 */
export function recoverArchive(
  liveFile: string,
  busyTimeoutMs?: number,
  { lagging = true, skipWhenBusy = false }: { lagging?: boolean; skipWhenBusy?: boolean } = {},
): RecoveryResult {
  const result: RecoveryResult = { rolledBack: [], completed: [] };
  const moves = (() => {
    const live = new Database(liveFile, { fileMustExist: true });
    try {
      if (!hasTable(live, 'main', 'catalyst_archive_log')) return [];
      return live.prepare(`SELECT batch_id, archive_file, state FROM catalyst_archive_log WHERE state IN ('copying', 'done')`).all() as {
        batch_id: string;
        archive_file: string;
        state: string;
      }[];
    } finally {
      live.close();
    }
  })();
  for (const move of moves.filter((m) => m.state === 'copying')) {
    if (undoMove(liveFile, move.archive_file, move.batch_id, Date.now(), { busyTimeoutMs, skipWhenBusy }))
      result.rolledBack.push(move.batch_id);
  }
  if (!lagging) return result;
  for (const move of moves.filter((m) => m.state === 'done')) {
    if (!existsSync(move.archive_file)) continue;
    const archive = open(move.archive_file, busyTimeoutMs);
    try {
      if (!hasTable(archive, 'main', 'catalyst_archive_batches')) continue;
      const changed = archive
        .prepare("UPDATE catalyst_archive_batches SET state = 'done' WHERE batch_id = ? AND state = 'copied'")
        .run(move.batch_id).changes;
      if (changed > 0) result.completed.push(move.batch_id);
    } finally {
      archive.close();
    }
  }
  return result;
}

/**
 * The same from an archive file's side: each batch it records as 'copied' is checked against
 * the live file it names. Done there: marked done here. Anything else: undone.
 */
export function recoverSegment(
  archiveFile: string,
  busyTimeoutMs?: number,
  { skipWhenBusy = false }: { skipWhenBusy?: boolean } = {},
): RecoveryResult {
  const result: RecoveryResult = { rolledBack: [], completed: [] };
  const batches = (() => {
    const archive = new Database(archiveFile, { fileMustExist: true });
    try {
      if (!hasTable(archive, 'main', 'catalyst_archive_batches')) return [];
      return archive.prepare("SELECT batch_id, live_file FROM catalyst_archive_batches WHERE state = 'copied'").all() as {
        batch_id: string;
        live_file: string;
      }[];
    } finally {
      archive.close();
    }
  })();
  for (const batch of batches) {
    if (!existsSync(batch.live_file)) continue;
    const state = liveState(batch.live_file, batch.batch_id);
    if (state === 'done') {
      markBatchDone(archiveFile, batch.batch_id, skipWhenBusy ? 0 : busyTimeoutMs);
      result.completed.push(batch.batch_id);
    } else if (state === 'copying' && undoMove(batch.live_file, archiveFile, batch.batch_id, Date.now(), { busyTimeoutMs, skipWhenBusy })) {
      result.rolledBack.push(batch.batch_id);
    }
  }
  return result;
}

function liveState(liveFile: string, batchId: string): string | null {
  const live = new Database(liveFile, { readonly: true, fileMustExist: true });
  try {
    if (!hasTable(live, 'main', 'catalyst_archive_log')) return null;
    return (live.prepare('SELECT state FROM catalyst_archive_log WHERE batch_id = ?').pluck().get(batchId) as string | undefined) ?? null;
  } finally {
    live.close();
  }
}

/**
 * Called by every read-write open of a log (the bot's start, createCatalyst, a writer, the
 * archive command): when this file records an archive move that did not finish, as the live
 * file ('copying') or as its archive ('copied'), repair the pair on disk now. A file with no
 * such record costs two lookups in sqlite_master. The archive's write lock is not waited for:
 * held, an archiver is inside its copy or its delete (or another repair runs), so the batch
 * is left to it and the open goes on at once. A repair that cannot run (busy, the other file
 * unreadable or gone) never fails the open: readers still see each event once, and the next
 * writable open or archive run tries again.
 */
export function repairInterruptedArchive(db: Database.Database, file: string, busyTimeoutMs?: number): RecoveryResult | null {
  const asLive =
    hasTable(db, 'main', 'catalyst_archive_log') &&
    !!db.prepare("SELECT 1 FROM catalyst_archive_log WHERE state = 'copying' LIMIT 1").pluck().get();
  const asArchive =
    hasTable(db, 'main', 'catalyst_archive_batches') &&
    !!db.prepare("SELECT 1 FROM catalyst_archive_batches WHERE state = 'copied' LIMIT 1").pluck().get();
  if (!asLive && !asArchive) return null;
  try {
    const result = asLive ? recoverArchive(file, busyTimeoutMs, { lagging: false, skipWhenBusy: true }) : { rolledBack: [], completed: [] };
    if (asArchive) {
      const more = recoverSegment(file, busyTimeoutMs, { skipWhenBusy: true });
      result.rolledBack.push(...more.rolledBack);
      result.completed.push(...more.completed);
    }
    return result;
  } catch {
    return null;
  }
}

/** Whether a position of this live file was archived away (the forwarder's checkpoint may name one). */
export function isArchivedPosition(liveFile: string, position: number): boolean {
  const db = new Database(liveFile, { readonly: true, fileMustExist: true });
  try {
    if (!hasTable(db, 'main', 'catalyst_archive_log')) return false;
    return !!db
      .prepare("SELECT 1 FROM catalyst_archive_log WHERE state = 'done' AND first_position <= ? AND last_position >= ?")
      .pluck()
      .get(position, position);
  } finally {
    db.close();
  }
}

/** A move a live file records as not finished: its copies, if any, are in both files until a repair. */
export interface InterruptedMove {
  batchId: string;
  liveFile: string;
  archiveFile: string;
  /** Rows in the archive whose event the live file still holds. */
  copies: number;
  startedAt: number;
}

/** What a live file records about the events archived out of it: what `verify` on it alone reads. */
export interface ArchiveRecord {
  /** Events moved out, per archive file (moves whose live commit happened). */
  archived: { file: string; events: number }[];
  /** Aggregates whose events up to this sequence are archived while the rest stays live. */
  prefixes: Map<string, number>;
  interrupted: InterruptedMove[];
}

/** The key `prefixes` uses. */
export const prefixKey = (aggregateType: string, aggregateId: string): string => `${aggregateType}\u0000${aggregateId}`;

/** Read-only: what this file records as the live side of archive moves (null: it never was archived from). */
export function readArchiveRecord(liveFile: string): ArchiveRecord | null {
  const db = new Database(liveFile, { readonly: true, fileMustExist: true });
  try {
    if (!hasTable(db, 'main', 'catalyst_archive_log')) return null;
    const archived = db
      .prepare(
        "SELECT archive_file AS file, SUM(events) AS events FROM catalyst_archive_log WHERE state = 'done' GROUP BY archive_file ORDER BY MIN(started_at)",
      )
      .all() as { file: string; events: number }[];
    const prefixes = new Map<string, number>();
    if (hasTable(db, 'main', 'catalyst_archive_prefixes')) {
      const rows = db
        .prepare('SELECT aggregate_type, aggregate_id, up_to_sequence FROM catalyst_archive_prefixes')
        .raw()
        .iterate() as IterableIterator<[string, string, number]>;
      for (const [type, id, upTo] of rows) prefixes.set(prefixKey(type, id), upTo);
    }
    const pending = db
      .prepare("SELECT batch_id, archive_file, started_at FROM catalyst_archive_log WHERE state = 'copying' ORDER BY started_at")
      .all() as { batch_id: string; archive_file: string; started_at: number }[];
    const interrupted = pending.map((move) => ({
      batchId: move.batch_id,
      liveFile,
      archiveFile: move.archive_file,
      copies: countCopies(db, move.archive_file),
      startedAt: move.started_at,
    }));
    return { archived, prefixes, interrupted };
  } finally {
    db.close();
  }
}

/** Rows of `archiveFile` whose event the (read-only) live connection's file also holds. */
function countCopies(live: Database.Database, archiveFile: string): number {
  if (!existsSync(archiveFile)) return 0;
  attach(live, archiveFile, 'arch');
  try {
    if (!hasTable(live, 'arch', 'event_log')) return 0;
    return live
      .prepare('SELECT COUNT(*) FROM arch.event_log a WHERE a.event_id IN (SELECT event_id FROM main.event_log)')
      .pluck()
      .get() as number;
  } finally {
    live.exec('DETACH DATABASE arch');
  }
}

/** The moves this live file records, newest first. */
export function archiveHistory(
  liveFile: string,
): { batch_id: string; archive_file: string; state: string; events: number | null; started_at: number }[] {
  const db = new Database(liveFile, { readonly: true, fileMustExist: true });
  try {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_archive_log'").pluck().get();
    if (!hasLog) return [];
    return db
      .prepare('SELECT batch_id, archive_file, state, events, started_at FROM catalyst_archive_log ORDER BY started_at DESC')
      .all() as never;
  } finally {
    db.close();
  }
}

/**
 * Gives the freed pages back to the file system: the WAL checkpointed, then VACUUM (global
 * positions are event_position's INTEGER PRIMARY KEY, which VACUUM never renumbers; the link
 * to the row is checked). Takes the write lock while it runs; a bot's appends wait for it.
 */
export function compactLiveFile(liveFile: string, busyTimeoutMs?: number): void {
  const db = open(liveFile, busyTimeoutMs);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    // Schema 2 links positions to event_log's rowid, which VACUUM is allowed to renumber: the
    // position → event mapping is hashed before and after, and a change is reported loudly.
    const head = db.prepare('SELECT COALESCE(MAX(position), 0) FROM event_position').pluck().get() as number;
    const before = positionsDigest(db, head);
    db.exec('VACUUM');
    if (positionsDigest(db, head) !== before) {
      throw new StoreOpenError(liveFile, 'VACUUM renumbered event_log rows: global positions no longer name the same events');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function positionsDigest(db: Database.Database, head: number): string {
  const hash = createHash('sha256');
  const rows = db
    .prepare(`SELECT p.position, e.event_id FROM main.event_log e ${joinPosition(db, 'main')} WHERE p.position <= ? ORDER BY p.position`)
    .raw()
    .iterate(head) as IterableIterator<[position: number, eventId: string]>;
  for (const [position, eventId] of rows) hash.update(`${position}:${eventId}\n`);
  return hash.digest('hex');
}
