import type Database from 'better-sqlite3';
import { SchemaVersionError } from '../../errors';

/** Bumped when our additions change shape. A file with a higher version is refused. */
export const SCHEMA_VERSION = 1;

/** The seed's tables and indexes, verbatim (its migration 004). The on-disk contract. */
const SEED_DDL = `
CREATE TABLE IF NOT EXISTS event_log (
    event_id TEXT PRIMARY KEY,
    event_type TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    metadata TEXT,
    created_at INTEGER NOT NULL,
    sequence_number INTEGER,
    UNIQUE(aggregate_type, aggregate_id, sequence_number)
);
CREATE INDEX IF NOT EXISTS idx_event_log_created_at ON event_log(created_at);
CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id);
CREATE INDEX IF NOT EXISTS idx_event_log_type ON event_log(event_type);
CREATE TABLE IF NOT EXISTS event_snapshots (
    snapshot_id TEXT PRIMARY KEY,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    state TEXT NOT NULL,
    last_event_id TEXT NOT NULL,
    last_sequence_number INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE(aggregate_type, aggregate_id)
);
`;

/**
 * The correlation id as an index expression. Guarded by json_valid so a corrupt metadata
 * row can still be stored and read (and flagged) instead of failing the index.
 */
export function correlationExpr(column = 'metadata'): string {
  return `(CASE WHEN json_valid(${column}) THEN json_extract(${column}, '$.correlation_id') END)`;
}

/**
 * Our additions; a seed-written file does not need them and a reader never adds them.
 * - event_position: a global position that survives VACUUM (an INTEGER PRIMARY KEY is never
 *   renumbered, unlike the implicit rowid of event_log), filled by a trigger so rows the
 *   seed's Python code inserts get one too, and without ever updating event_log.
 * - triggers that make event_log (and the positions) append-only.
 */
const ADDITIONS_DDL = `
CREATE TABLE IF NOT EXISTS catalyst_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_position (
    position INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS subscription_checkpoints (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_event_log_correlation ON event_log${correlationExpr()};
CREATE TRIGGER IF NOT EXISTS trg_event_log_position AFTER INSERT ON event_log
BEGIN
    INSERT INTO event_position(event_id) VALUES (NEW.event_id);
END;
CREATE TRIGGER IF NOT EXISTS trg_event_log_no_update BEFORE UPDATE ON event_log
BEGIN
    SELECT RAISE(ABORT, 'event_log is append-only: UPDATE is not allowed');
END;
CREATE TRIGGER IF NOT EXISTS trg_event_log_no_delete BEFORE DELETE ON event_log
BEGIN
    SELECT RAISE(ABORT, 'event_log is append-only: DELETE is not allowed');
END;
CREATE TRIGGER IF NOT EXISTS trg_event_position_no_update BEFORE UPDATE ON event_position
BEGIN
    SELECT RAISE(ABORT, 'event_position is append-only: UPDATE is not allowed');
END;
CREATE TRIGGER IF NOT EXISTS trg_event_position_no_delete BEFORE DELETE ON event_position
BEGIN
    SELECT RAISE(ABORT, 'event_position is append-only: DELETE is not allowed');
END;
`;

export interface SchemaFeatures {
  hasEventLog: boolean;
  hasSnapshots: boolean;
  hasSnapshotReducerVersion: boolean;
  hasPositionTable: boolean;
  hasCheckpoints: boolean;
  schemaVersion: number | null;
}

export function readFeatures(db: Database.Database): SchemaFeatures {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]),
  );
  let schemaVersion: number | null = null;
  if (tables.has('catalyst_meta')) {
    const v = db.prepare("SELECT value FROM catalyst_meta WHERE key = 'schema_version'").pluck().get();
    schemaVersion = v === undefined ? null : Number(v);
  }
  const snapshotColumns = tables.has('event_snapshots')
    ? (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('event_snapshots') as string[])
    : [];
  return {
    hasEventLog: tables.has('event_log'),
    hasSnapshots: tables.has('event_snapshots'),
    hasSnapshotReducerVersion: snapshotColumns.includes('reducer_version'),
    hasPositionTable: tables.has('event_position'),
    hasCheckpoints: tables.has('subscription_checkpoints'),
    schemaVersion,
  };
}

export function assertSupportedVersion(file: string, features: SchemaFeatures): void {
  if (features.schemaVersion !== null && features.schemaVersion > SCHEMA_VERSION) {
    throw new SchemaVersionError(file, features.schemaVersion, SCHEMA_VERSION);
  }
}

/** True when some unique index covers exactly (aggregate_type, aggregate_id, sequence_number). */
function hasSequenceUniqueIndex(db: Database.Database): boolean {
  const indexes = db.prepare('SELECT name, "unique" AS u FROM pragma_index_list(?)').all('event_log') as {
    name: string;
    u: number;
  }[];
  return indexes.some((index) => {
    if (!index.u) return false;
    const cols = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index.name);
    return cols.join(',') === 'aggregate_type,aggregate_id,sequence_number';
  });
}

/** Create or upgrade a file for writing. Idempotent; runs in one transaction. */
export function migrate(db: Database.Database, file: string, now: number): SchemaFeatures {
  const before = readFeatures(db);
  assertSupportedVersion(file, before);
  // A file at this version got every addition in the one transaction below: opening it again
  // needs no write lock (so writers opening at once never fail on a busy file).
  if (before.schemaVersion === SCHEMA_VERSION && before.hasPositionTable && before.hasCheckpoints && before.hasSnapshotReducerVersion) {
    return before;
  }
  db.transaction(() => {
    db.exec(SEED_DDL);
    // The seed's EventStore._init_schema creates event_log without the UNIQUE constraint.
    if (!hasSequenceUniqueIndex(db)) {
      db.exec(
        'CREATE UNIQUE INDEX IF NOT EXISTS ux_event_log_aggregate_sequence ON event_log(aggregate_type, aggregate_id, sequence_number)',
      );
    }
    db.exec(ADDITIONS_DDL);
    if (!readFeatures(db).hasSnapshotReducerVersion) {
      db.exec('ALTER TABLE event_snapshots ADD COLUMN reducer_version INTEGER');
    }
    // Rows written before the position table existed (a seed file) get positions in time order.
    db.exec(`INSERT INTO event_position(event_id)
             SELECT e.event_id FROM event_log e
             WHERE NOT EXISTS (SELECT 1 FROM event_position p WHERE p.event_id = e.event_id)
             ORDER BY e.created_at, e.rowid`);
    db.prepare(
      "INSERT INTO catalyst_meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(SCHEMA_VERSION));
    db.prepare("INSERT OR IGNORE INTO catalyst_meta(key, value) VALUES ('created_at', ?)").run(String(now));
  }).immediate();
  return readFeatures(db);
}
