import type pg from 'pg';
import { SchemaVersionError } from '../../errors';

/** Bumped when the PostgreSQL table shape changes; kept in catalyst_meta like the SQLite file. */
export const PG_SCHEMA_VERSION = 1;

/**
 * Every forwarder takes this transaction-level advisory lock around its batch, so identity
 * values are handed out in commit order: a reader paging `global_position > cursor` never
 * misses a row that commits later with a smaller position. Also guards the DDL below.
 */
export const FORWARD_LOCK_KEY = 0x0ca7a1e5;

/**
 * The seed's event_log columns (payload/metadata kept as TEXT so every row, corrupt ones
 * included, arrives byte for byte), plus:
 * - global_position: the one order across sources every reader agrees on;
 * - source / source_position: which file (bot, run) a row came from and where in it;
 * - correlation_id / json_ok: what SQLite computes with json_extract / json_valid, computed
 *   by SQLite at forward time (PostgreSQL 15 has no non-throwing JSON test for a column).
 * Sequence uniqueness includes the source: two bots may both own an aggregate `risk:book`.
 */
export const PG_DDL = `
CREATE TABLE IF NOT EXISTS event_log (
    global_position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    aggregate_type TEXT NOT NULL,
    aggregate_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    metadata TEXT,
    created_at BIGINT NOT NULL,
    sequence_number BIGINT,
    source TEXT NOT NULL,
    source_position BIGINT NOT NULL,
    correlation_id TEXT,
    json_ok BOOLEAN NOT NULL,
    CONSTRAINT event_log_event_id_key UNIQUE (event_id),
    CONSTRAINT event_log_source_sequence_key UNIQUE (source, aggregate_type, aggregate_id, sequence_number),
    CONSTRAINT event_log_source_position_key UNIQUE (source, source_position)
);
CREATE INDEX IF NOT EXISTS idx_event_log_created_at ON event_log(created_at);
CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id, sequence_number);
CREATE INDEX IF NOT EXISTS idx_event_log_type ON event_log(event_type, global_position);
CREATE INDEX IF NOT EXISTS idx_event_log_correlation ON event_log(correlation_id, global_position) WHERE correlation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_event_log_source ON event_log(source, global_position);
CREATE TABLE IF NOT EXISTS forward_checkpoints (
    source TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalyst_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE OR REPLACE FUNCTION catalyst_event_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_log is append-only: % is not allowed', TG_OP;
END $$;
DROP TRIGGER IF EXISTS trg_event_log_append_only ON event_log;
CREATE TRIGGER trg_event_log_append_only BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION catalyst_event_log_append_only();
`;

/** Create the tables if missing. Idempotent; safe when two forwarders start at once. */
export async function ensurePostgresSchema(client: pg.ClientBase, where: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [FORWARD_LOCK_KEY]);
    let version: string | null = null;
    const meta = await client.query<{ t: string | null }>("SELECT to_regclass('catalyst_meta')::text AS t");
    if (meta.rows[0]?.t) {
      const row = await client.query<{ value: string }>("SELECT value FROM catalyst_meta WHERE key = 'schema_version'");
      version = row.rows[0]?.value ?? null;
    }
    if (version !== null && Number(version) > PG_SCHEMA_VERSION) {
      throw new SchemaVersionError(where, Number(version), PG_SCHEMA_VERSION);
    }
    if (version === null) {
      await client.query(PG_DDL);
      await client.query(
        `INSERT INTO catalyst_meta(key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(PG_SCHEMA_VERSION)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
