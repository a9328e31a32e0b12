/**
 * The seed's tables and indexes, verbatim from its migration 004 (the on-disk contract), but
 * for one line a file of ours leaves out (see SEED_PREFIX_INDEX):
 *   CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id);
 */
export const SEED_DDL = `
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
 * The seed's (aggregate_type, aggregate_id) index is a prefix of its own
 * UNIQUE(aggregate_type, aggregate_id, sequence_number) index: every lookup it serves, the
 * unique index serves as well, while each append paid for a second B-tree keyed by the
 * aggregate (with many live aggregates, a second set of random leaf pages written per commit).
 * Our files leave it out; the seed's Python still reads and writes them (its queries use the
 * unique index), and its own migration may create it again, which we then leave alone.
 */
export const SEED_PREFIX_INDEX = 'idx_event_log_aggregate';

/**
 * The correlation id as an index expression. Guarded by json_valid so a corrupt metadata
 * row can still be stored and read (and flagged) instead of failing the index.
 */
export function correlationExpr(column = 'metadata'): string {
  return `(CASE WHEN json_valid(${column}) THEN json_extract(${column}, '$.correlation_id') END)`;
}

/**
 * Partial: rows without a correlation id (most seed rows, every un-chained event) get no
 * entry. A query `correlationExpr(...) = ?` implies IS NOT NULL, so SQLite still uses it.
 */
export const CORRELATION_INDEX_DDL = `CREATE INDEX IF NOT EXISTS idx_event_log_correlation ON event_log${correlationExpr()}
    WHERE ${correlationExpr()} IS NOT NULL;`;

/**
 * The global position: an INTEGER PRIMARY KEY (never renumbered, unlike event_log's implicit
 * rowid may be) linked to event_log's rowid. Both B-trees are keyed by integers that only
 * grow, so an append touches their right edge; the event id is found through the seed's own
 * primary key and never indexed twice. Filled by a trigger, so rows the seed's Python code
 * inserts get a position too, without ever updating event_log.
 */
export const POSITION_TABLE_DDL = `
CREATE TABLE IF NOT EXISTS event_position (
    position INTEGER PRIMARY KEY,
    log_rowid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_event_position_log_rowid ON event_position(log_rowid);
`;

/** Triggers that make event_log (and the positions) append-only and fill the positions. */
export const TRIGGERS_DDL = `
CREATE TRIGGER IF NOT EXISTS trg_event_log_position AFTER INSERT ON event_log
BEGIN
    INSERT INTO event_position(log_rowid) VALUES (NEW.rowid);
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

/** Our other additions; a seed-written file does not need them and a reader never adds them. */
export const META_DDL = `
CREATE TABLE IF NOT EXISTS catalyst_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscription_checkpoints (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
`;
