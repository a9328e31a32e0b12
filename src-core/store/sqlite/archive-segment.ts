/**
 * The store-side operations of archiving (issue 19): copy an aggregate's rows, with their
 * global positions, into a segment file; verify the copy; remove them from the live file in
 * the one sanctioned exception to the append-only triggers; recover from a kill between the
 * two files' commits. Raw SQL lives here, inside the store, on connections this module opens
 * by path (never the store's own handle).
 *
 * The two files cannot commit together (SQLite's multi-file commit is not atomic in WAL mode),
 * so the move is a journal of small steps, each one transaction in one file:
 *   A. live:    catalyst_archive_log row, state 'copying'      (the intent, found by recovery)
 *   B. archive: the rows and a catalyst_archive_batches row     (the copy)
 *   C. live:    verify the copy, write snapshots, delete the rows, state 'done'
 *   D. archive: batch state 'done'
 * Killed before C commits, the rows are in the live file (and maybe copied): recovery deletes
 * the copy. Killed after, they are in the archive only. Readers of both files see each event
 * once throughout (a merge by position drops the copy), and `recoverArchive` leaves each row
 * in exactly one file.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { CatalystError, StoreOpenError } from '../../errors';
import { SqliteEventStore } from './sqlite-event-store';
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

function open(file: string, busyTimeoutMs = 5000): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  return db;
}

/** The file as a segment: our schema (created by the store itself), WAL. */
function ensureSegmentFile(file: string): void {
  SqliteEventStore.open({ file }).close();
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
 * Runs `work` with these triggers dropped, inside the caller's transaction: DDL is
 * transactional in SQLite, so a rollback or a kill puts them back with everything else.
 */
function withoutTriggers<T>(db: Database.Database, names: readonly string[], work: () => T): T {
  const saved = triggerSql(db, 'main', names);
  for (const { name } of saved) db.exec(`DROP TRIGGER main.${name}`);
  const result = work();
  for (const { sql } of saved) db.exec(sql);
  return result;
}

/** The selection as a temp table the joins below read. */
function loadSelection(db: Database.Database, selection: readonly MoveSelection[]): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS archive_selection (
             aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, up_to INTEGER NOT NULL, whole INTEGER NOT NULL,
             PRIMARY KEY (aggregate_type, aggregate_id))`);
  db.exec('DELETE FROM temp.archive_selection');
  const insert = db.prepare('INSERT INTO temp.archive_selection VALUES (?, ?, ?, ?)');
  for (const s of selection) insert.run(s.aggregate_type, s.aggregate_id, s.upToSequence, s.whole ? 1 : 0);
}

/** How a file's event_position finds its row: by event_log's rowid (schema 2) or its event_id (schema 1). */
type PositionLink = 'log_rowid' | 'event_id';

function positionLink(db: Database.Database, schema: string): PositionLink {
  const columns = db.prepare(`SELECT name FROM ${schema}.pragma_table_info('event_position')`).pluck().all() as string[];
  if (columns.includes('log_rowid')) return 'log_rowid';
  if (columns.includes('event_id')) return 'event_id';
  throw new StoreOpenError(db.name, `${schema}: event_position has neither log_rowid nor event_id: not a log this version archives`);
}

function joinPosition(db: Database.Database, schema: string): string {
  return positionLink(db, schema) === 'log_rowid'
    ? `JOIN ${schema}.event_position p ON p.log_rowid = e.rowid`
    : `JOIN ${schema}.event_position p ON p.event_id = e.event_id`;
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

/** Deletes rows of `schema` (and their positions) whose event ids are in `idsSql`; triggers already dropped. */
function deleteRows(db: Database.Database, schema: string, idsSql: string): void {
  db.exec(`CREATE TEMP TABLE archive_gone AS SELECT rowid AS log_rowid, event_id FROM ${schema}.event_log WHERE event_id IN (${idsSql})`);
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

/** Count and SHA-256 over every column of the selected rows, positions included. */
function digest(db: Database.Database, schema: string, alsoIn?: string): Digest {
  const hash = createHash('sha256');
  let events = 0;
  let first: number | null = null;
  let last: number | null = null;
  const rows = db
    .prepare(
      selectedRowsSql(
        db,
        schema,
        `p.position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id,
                                      CAST(e.payload AS TEXT) AS payload, CAST(e.metadata AS TEXT) AS metadata, e.created_at, e.sequence_number`,
        alsoIn,
      ),
    )
    .raw()
    .iterate() as IterableIterator<unknown[]>;
  for (const row of rows) {
    events++;
    const position = row[0] as number;
    first ??= position;
    last = position;
    hash.update(JSON.stringify(row));
    hash.update('\n');
  }
  return { events, checksum: hash.digest('hex'), first, last };
}

function attach(db: Database.Database, file: string, as: string): void {
  db.prepare(`ATTACH DATABASE ? AS ${as}`).run(file);
}

/**
 * Moves the selected events from the live file into the archive file (created as a segment
 * if missing), keeping their global positions, and writes the snapshots for aggregates that
 * stay live, in the steps the module comment describes.
 */
export function moveToArchive(options: MoveOptions): MoveResult {
  const { liveFile, archiveFile, batchId, now } = options;
  ensureSegmentFile(liveFile); // migrated to this schema version (positions linked by rowid)
  ensureSegmentFile(archiveFile);
  const live = open(liveFile, options.busyTimeoutMs);
  try {
    // A. The intent, so a later run finds a half-done move from the live file alone.
    live.exec(LIVE_LOG_DDL);
    live
      .prepare("INSERT INTO catalyst_archive_log (batch_id, archive_file, state, started_at) VALUES (?, ?, 'copying', ?)")
      .run(batchId, archiveFile, now);
    options.onStage?.('intent');

    // B. The copy: rows and their positions, one archive transaction.
    const archive = open(archiveFile, options.busyTimeoutMs);
    try {
      archive.exec(ARCHIVE_BATCHES_DDL);
      attach(archive, liveFile, 'live');
      loadSelection(archive, options.selection);
      archive
        .transaction(() =>
          // The position trigger would number the copies anew: they keep the live file's positions.
          withoutTriggers(archive, ['trg_event_log_position'], () => {
            archive.exec(
              `INSERT INTO main.event_log (${ROW_COLUMNS}) ${selectedRowsSql(archive, 'live', ROW_COLUMNS.replace(/(\w+)/g, 'e.$1'))}`,
            );
            const moved = selectedRowsSql(archive, 'live', 'p.position AS position, e.event_id AS event_id');
            if (positionLink(archive, 'main') === 'log_rowid') {
              // Positions link to the copies' own rowids in this file.
              archive.exec(`INSERT INTO main.event_position (position, log_rowid)
                            SELECT m.position, a.rowid FROM (${moved}) m JOIN main.event_log a ON a.event_id = m.event_id`);
            } else {
              archive.exec(`INSERT INTO main.event_position (position, event_id) SELECT m.position, m.event_id FROM (${moved}) m`);
            }
            // Snapshots of aggregates that leave the live file whole travel with them.
            archive.exec(`INSERT OR REPLACE INTO main.event_snapshots SELECT n.* FROM live.event_snapshots n
                          JOIN temp.archive_selection s ON s.aggregate_type = n.aggregate_type AND s.aggregate_id = n.aggregate_id AND s.whole = 1`);
            const d = digest(archive, 'main', 'live');
            archive
              .prepare(
                "INSERT INTO catalyst_archive_batches (batch_id, live_file, state, events, checksum, created_at) VALUES (?, ?, 'copied', ?, ?, ?)",
              )
              .run(batchId, liveFile, d.events, d.checksum, now);
            return d;
          }),
        )
        .immediate();
      archive.exec('DETACH DATABASE live');
    } finally {
      archive.close();
    }
    options.onStage?.('copied');

    // C. Verify the copy against the live rows, snapshot what stays, remove what moved.
    attach(live, archiveFile, 'arch');
    loadSelection(live, options.selection);
    const removed = live
      .transaction(() => {
        const here = digest(live, 'main');
        const there = digest(live, 'arch', 'main');
        const batch = live.prepare('SELECT events, checksum FROM arch.catalyst_archive_batches WHERE batch_id = ?').get(batchId) as
          { events: number; checksum: string } | undefined;
        if (here.events !== there.events || here.checksum !== there.checksum || !batch || batch.checksum !== here.checksum) {
          throw new ArchiveVerifyError(
            `the copy in ${archiveFile} does not match ${liveFile} (${there.events} vs ${here.events} events, checksums ` +
              `${there.checksum.slice(0, 12)} vs ${here.checksum.slice(0, 12)}): nothing was removed`,
          );
        }
        // Snapshots carry their state's checksum (readers ignore one without it), where the file has the column.
        const withChecksum =
          (live.prepare("SELECT 1 FROM pragma_table_info('event_snapshots') WHERE name = 'state_checksum'").pluck().get() ?? 0) === 1;
        const save = live.prepare(
          `INSERT INTO main.event_snapshots (snapshot_id, aggregate_type, aggregate_id, state, last_event_id, last_sequence_number, created_at, reducer_version${withChecksum ? ', state_checksum' : ''})
           VALUES (?, ?, ?, ?, ?, ?, ?, ?${withChecksum ? ', ?' : ''})
           ON CONFLICT(aggregate_type, aggregate_id) DO UPDATE SET
             snapshot_id = excluded.snapshot_id, state = excluded.state, last_event_id = excluded.last_event_id,
             last_sequence_number = excluded.last_sequence_number, created_at = excluded.created_at,
             reducer_version = excluded.reducer_version${withChecksum ? ', state_checksum = excluded.state_checksum' : ''}`,
        );
        for (const s of options.snapshots) {
          save.run(
            `${batchId}:${s.aggregate_type}:${s.aggregate_id}`,
            s.aggregate_type,
            s.aggregate_id,
            JSON.stringify(s.state),
            s.last_event_id,
            s.last_sequence_number,
            now,
            s.reducer_version,
            ...(withChecksum ? [snapshotChecksum(s)] : []),
          );
        }
        // The one sanctioned delete: the triggers are dropped and recreated in this transaction.
        withoutTriggers(live, ['trg_event_log_no_delete', 'trg_event_position_no_delete'], () => {
          deleteRows(live, 'main', selectedRowsSql(live, 'main', 'e.event_id'));
        });
        live.exec(`DELETE FROM main.event_snapshots WHERE EXISTS (SELECT 1 FROM temp.archive_selection s
                     WHERE s.aggregate_type = event_snapshots.aggregate_type AND s.aggregate_id = event_snapshots.aggregate_id AND s.whole = 1)`);
        live
          .prepare(
            `UPDATE catalyst_archive_log SET state = 'done', events = ?, checksum = ?, first_position = ?, last_position = ?, finished_at = ?
             WHERE batch_id = ?`,
          )
          .run(here.events, here.checksum, here.first, here.last, now, batchId);
        return here;
      })
      .immediate();
    live.exec('DETACH DATABASE arch');
    options.onStage?.('removed');

    // D. Cosmetic: the archive's own record says the move finished.
    markBatchDone(archiveFile, batchId, options.busyTimeoutMs);
    options.onStage?.('done');
    return {
      batchId,
      events: removed.events,
      checksum: removed.checksum,
      firstPosition: removed.first,
      lastPosition: removed.last,
      snapshotsWritten: options.snapshots.length,
    };
  } finally {
    live.close();
  }
}

function markBatchDone(archiveFile: string, batchId: string, busyTimeoutMs?: number): void {
  const archive = open(archiveFile, busyTimeoutMs);
  try {
    archive.prepare("UPDATE catalyst_archive_batches SET state = 'done' WHERE batch_id = ?").run(batchId);
  } finally {
    archive.close();
  }
}

export interface RecoveryResult {
  /** Moves that had copied but not removed: their copies deleted from the archive. */
  rolledBack: string[];
  /** Moves whose removal committed but whose archive record lagged: marked done. */
  completed: string[];
}

/**
 * Finishes what a killed archive left: every move the live file records as 'copying' has
 * its copy (if any) deleted from its archive, so each row is in exactly one file again.
 */
export function recoverArchive(liveFile: string, busyTimeoutMs?: number): RecoveryResult {
  const result: RecoveryResult = { rolledBack: [], completed: [] };
  const live = open(liveFile, busyTimeoutMs);
  try {
    const hasLog = live.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_archive_log'").pluck().get();
    if (!hasLog) return result;
    const pending = live.prepare("SELECT batch_id, archive_file, state FROM catalyst_archive_log WHERE state = 'copying'").all() as {
      batch_id: string;
      archive_file: string;
    }[];
    for (const move of pending) {
      if (existsSync(move.archive_file)) {
        const archive = open(move.archive_file, busyTimeoutMs);
        try {
          const hasBatches = archive
            .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_archive_batches'")
            .pluck()
            .get();
          attach(archive, liveFile, 'live');
          archive
            .transaction(() => {
              // Every copy whose original is still in the live file goes: the live row is the one.
              withoutTriggers(archive, ['trg_event_log_no_delete', 'trg_event_position_no_delete'], () => {
                deleteRows(archive, 'main', 'SELECT event_id FROM live.event_log');
              });
              if (hasBatches) archive.prepare('DELETE FROM catalyst_archive_batches WHERE batch_id = ?').run(move.batch_id);
            })
            .immediate();
          archive.exec('DETACH DATABASE live');
        } finally {
          archive.close();
        }
      }
      live
        .prepare("UPDATE catalyst_archive_log SET state = 'rolled_back', finished_at = ? WHERE batch_id = ?")
        .run(Date.now(), move.batch_id);
      result.rolledBack.push(move.batch_id);
    }
    const done = live.prepare("SELECT batch_id, archive_file FROM catalyst_archive_log WHERE state = 'done'").all() as {
      batch_id: string;
      archive_file: string;
    }[];
    for (const move of done) {
      if (!existsSync(move.archive_file)) continue;
      const archive = new Database(move.archive_file, { readonly: true, fileMustExist: true });
      let lagging = false;
      try {
        const hasBatches = archive
          .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_archive_batches'")
          .pluck()
          .get();
        lagging =
          !!hasBatches &&
          archive.prepare('SELECT state FROM catalyst_archive_batches WHERE batch_id = ?').pluck().get(move.batch_id) === 'copied';
      } finally {
        archive.close();
      }
      if (lagging) {
        markBatchDone(move.archive_file, move.batch_id, busyTimeoutMs);
        result.completed.push(move.batch_id);
      }
    }
    return result;
  } finally {
    live.close();
  }
}

/** Whether a position of this live file was archived away (the forwarder's checkpoint may name one). */
export function isArchivedPosition(liveFile: string, position: number): boolean {
  const db = new Database(liveFile, { readonly: true, fileMustExist: true });
  try {
    const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalyst_archive_log'").pluck().get();
    if (!hasLog) return false;
    return !!db
      .prepare("SELECT 1 FROM catalyst_archive_log WHERE state = 'done' AND first_position <= ? AND last_position >= ?")
      .pluck()
      .get(position, position);
  } finally {
    db.close();
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
