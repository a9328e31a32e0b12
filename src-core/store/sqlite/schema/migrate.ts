import type Database from 'better-sqlite3';
import { CORRELATION_INDEX_DDL, META_DDL, POSITION_TABLE_DDL, SEED_DDL, SEED_PREFIX_INDEX, TRIGGERS_DDL } from './ddl';
import { assertSupportedVersion, isCurrent, readFeatures, SCHEMA_VERSION, type SchemaFeatures } from './features';

/** For crash drills in tests: runs inside the migration's open transaction, before COMMIT. */
export interface MigrationHooks {
  beforeCommit?: (from: SchemaFeatures) => void;
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

/**
 * Version 1 → 2: the position table is rebuilt keyed to event_log's rowid (positions kept
 * as they were: checkpoints and forwarded copies stay valid), and the correlation index
 * becomes partial. The old table and its UNIQUE(event_id) index are dropped.
 */
function relinkPositions(db: Database.Database): void {
  db.exec(`
    DROP TRIGGER IF EXISTS trg_event_log_position;
    DROP TRIGGER IF EXISTS trg_event_position_no_update;
    DROP TRIGGER IF EXISTS trg_event_position_no_delete;
    CREATE TABLE event_position_v2 (position INTEGER PRIMARY KEY, log_rowid INTEGER NOT NULL);
    INSERT INTO event_position_v2(position, log_rowid)
      SELECT p.position, e.rowid FROM event_position p CROSS JOIN event_log e ON e.event_id = p.event_id
      ORDER BY p.position;
    DROP TABLE event_position;
    ALTER TABLE event_position_v2 RENAME TO event_position;
  `);
}

/**
 * Create or upgrade a file for writing. Idempotent; everything happens in one IMMEDIATE
 * transaction, so a process killed half-way leaves the file exactly as it was.
 */
export function migrate(db: Database.Database, file: string, now: number, hooks: MigrationHooks = {}): SchemaFeatures {
  const before = readFeatures(db);
  assertSupportedVersion(file, before);
  // A current file got every addition in one committed transaction: opening it again needs
  // no write lock (so writers opening at once never fail on a busy file).
  if (isCurrent(before)) return before;
  db.transaction(() => {
    const from = readFeatures(db); // again, under the write lock: another writer may have migrated
    if (isCurrent(from)) return;
    db.exec(SEED_DDL);
    // The seed's EventStore._init_schema creates event_log without the UNIQUE constraint.
    if (!hasSequenceUniqueIndex(db)) {
      db.exec(
        'CREATE UNIQUE INDEX IF NOT EXISTS ux_event_log_aggregate_sequence ON event_log(aggregate_type, aggregate_id, sequence_number)',
      );
    }
    // Once, on the way to version 3: the unique index above serves every lookup it did. If the
    // seed's own migration creates it again later, it stays (the file is current by then).
    if (from.schemaVersion === null || from.schemaVersion < 3) db.exec(`DROP INDEX IF EXISTS ${SEED_PREFIX_INDEX}`);
    db.exec(META_DDL);
    if (from.positionLink === 'event_id') relinkPositions(db);
    db.exec(POSITION_TABLE_DDL);
    // The version-1 index had an entry for every row; its replacement only for correlated ones.
    const correlationSql = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'idx_event_log_correlation'")
      .pluck()
      .get() as string | undefined;
    if (correlationSql !== undefined && !/\bWHERE\b/i.test(correlationSql)) db.exec('DROP INDEX idx_event_log_correlation');
    db.exec(CORRELATION_INDEX_DDL);
    db.exec(TRIGGERS_DDL);
    if (!readFeatures(db).hasSnapshotReducerVersion) {
      db.exec('ALTER TABLE event_snapshots ADD COLUMN reducer_version INTEGER');
    }
    // After reducer_version, always: files copy snapshots between them with SELECT *.
    if (!readFeatures(db).hasSnapshotChecksum) {
      db.exec('ALTER TABLE event_snapshots ADD COLUMN state_checksum TEXT');
    }
    // Rows written before the position table existed (a seed file) get positions in time order.
    db.exec(`INSERT INTO event_position(log_rowid)
             SELECT e.rowid FROM event_log e
             WHERE NOT EXISTS (SELECT 1 FROM event_position p WHERE p.log_rowid = e.rowid)
             ORDER BY e.created_at, e.rowid`);
    db.prepare(
      "INSERT INTO catalyst_meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(String(SCHEMA_VERSION));
    db.prepare("INSERT OR IGNORE INTO catalyst_meta(key, value) VALUES ('created_at', ?)").run(String(now));
    hooks.beforeCommit?.(from);
  }).immediate();
  return readFeatures(db);
}
