import type pg from 'pg';
import { SystemClock, type Clock } from '../clock/clock';
import { CatalystError } from '../errors';
import { hasLoneSurrogate } from '../schema/json-safety';
import { loadPg, poolConfig, redactUrl } from '../store/postgres/connection';
import { ensurePostgresSchema, FORWARD_LOCK_KEY } from '../store/postgres/schema';
import { rowAsJson, unshippableReason } from './row-check';
import type { RawEventRow } from './sqlite-source';

/** One PostgreSQL transaction of a forward run, as {@link ForwardOptions.beforeCommit} sees it. */
export interface BatchInfo {
  /** Name of the log in PostgreSQL. */
  source: string;
  /** Rows this transaction inserts (after the checkpoint filter). */
  count: number;
  /** File position of the first row in the batch (past the checkpoint). */
  firstPosition: number;
  /** File position of the last row in the batch: the new checkpoint. */
  lastPosition: number;
}

export interface BatchResult {
  /** Rows newly inserted. */
  inserted: number;
  /** Rows past the checkpoint whose event_id was already in the table (e.g. a copy of the file under another source). */
  duplicates: number;
  /** The source's checkpoint after the transaction: the file position shipped up to. */
  position: number;
  /** Rows of this batch recorded in forward_dead_letters instead of event_log, in file order. */
  deadLetters: DeadLetterInfo[];
}

/** A row PostgreSQL's event_log cannot hold as it is, and why. */
export interface DeadLetterInfo {
  position: number;
  /** null when the id itself is what cannot be stored. */
  event_id: string | null;
  reason: string;
}

interface DeadLetter {
  row: RawEventRow;
  reason: string;
}

/** The event id when it can be stored as text, else null (the row JSON still carries it). */
function idOf(row: RawEventRow): string | null {
  const id: unknown = row.event_id;
  return typeof id === 'string' && !id.includes('\u0000') && !hasLoneSurrogate(id) ? id : null;
}

/** A refusal about one row's data (SQLSTATE class 22 data exception, 23 integrity, 54 limit). */
function isRowError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && /^(22|23|54)[0-9A-Z]{3}$/.test(code);
}

function refusal(error: unknown): string {
  const e = error as { message?: string; detail?: string; code?: string };
  if (e.code === '23505' && /source_sequence/.test(e.message ?? '')) {
    return `a second event at one sequence number of its aggregate in this file (${e.detail ?? 'see the file'})`;
  }
  return `PostgreSQL refused it: ${e.message ?? String(error)}${e.detail ? ` (${e.detail})` : ''} [${e.code}]`;
}

/** Rows PostgreSQL cannot hold as they are: the row as JSON text, and why. Created by connect. */
const DEAD_LETTER_DDL = `
CREATE TABLE IF NOT EXISTS forward_dead_letters (
    source TEXT NOT NULL,
    source_position BIGINT NOT NULL,
    event_id TEXT,
    reason TEXT NOT NULL,
    row_json TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (source, source_position)
)`;

/** pg's `code` is a SQLSTATE for server errors, an errno string (ECONNRESET…) for socket ones. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Worth retrying after a reconnect: the connection or the server went away, or the server is
 * starting, shutting down or short of resources. A constraint or syntax error is not.
 */
export function isTransientPgError(error: unknown): boolean {
  if (error instanceof CatalystError) return false;
  const code = errorCode(error);
  // pg's own "Connection terminated unexpectedly" and friends carry no code.
  if (code === undefined) return /connect|terminat|closed|timeout|ended/i.test(String((error as Error)?.message));
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT...
  return /^(08|53|57|40)[0-9A-Z]{3}$/.test(code);
}

const INSERT_SQL = `
INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at,
                       sequence_number, source, source_position, correlation_id, json_ok)
SELECT u.event_id, u.event_type, u.aggregate_type, u.aggregate_id, u.payload, u.metadata, u.created_at,
       u.sequence_number, $1, u.source_position, u.correlation_id, u.json_ok
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
            $9::bigint[], $10::bigint[], $11::text[], $12::boolean[])
     WITH ORDINALITY AS u(event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at,
                          sequence_number, source_position, correlation_id, json_ok, ord)
ORDER BY u.ord
ON CONFLICT (event_id) DO NOTHING`;

async function ensureDeadLetterTable(client: pg.Client): Promise<void> {
  await client.query('BEGIN');
  try {
    // The same lock as the schema's DDL: two forwarders starting at once create it once.
    await client.query('SELECT pg_advisory_xact_lock($1)', [FORWARD_LOCK_KEY]);
    await client.query(DEAD_LETTER_DDL);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The PostgreSQL end of the forwarder: one connection, one transaction per batch holding the
 * rows AND the source's checkpoint, so a crash anywhere leaves either both or neither.
 */
export class PgSink {
  readonly url: string;
  private readonly client: pg.Client;
  private ended = false;

  private constructor(
    url: string,
    client: pg.Client,
    private readonly clock: Clock,
  ) {
    this.url = url;
    this.client = client;
  }

  static async connect(url: string, clock: Clock = new SystemClock()): Promise<PgSink> {
    const where = redactUrl(url);
    const pg = await loadPg(where);
    const client = new pg.Client(poolConfig(url, { application: 'catalyst-events forward' }));
    // A dropped connection surfaces on the next query; without a listener it would crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      await ensurePostgresSchema(client, where);
      await ensureDeadLetterTable(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new PgSink(where, client, clock);
  }

  async checkpoint(source: string): Promise<number> {
    const { rows } = await this.client.query<{ position: number }>('SELECT position FROM forward_checkpoints WHERE source = $1', [source]);
    return rows[0]?.position ?? 0;
  }

  async hasEvent(eventId: string): Promise<boolean> {
    const { rowCount } = await this.client.query('SELECT 1 FROM event_log WHERE event_id = $1', [eventId]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Insert the rows past the source's checkpoint and advance it, atomically. The advisory lock
   * serializes forwarders, so the checkpoint read here is current (a racing forwarder's batch
   * shrinks to nothing) and identity positions follow commit order. A row PostgreSQL cannot
   * hold goes to forward_dead_letters with its reason, in the same transaction: no row ever
   * stops the log, and a re-run finds both tables already holding what it would write.
   */
  async writeBatch(
    source: string,
    rows: readonly RawEventRow[],
    beforeCommit?: (info: BatchInfo) => void | Promise<void>,
  ): Promise<BatchResult> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      await c.query('SELECT pg_advisory_xact_lock($1)', [FORWARD_LOCK_KEY]);
      const current = await this.checkpoint(source);
      const fresh = rows.filter((r) => r.position > current);
      if (fresh.length === 0) {
        await c.query('COMMIT');
        return { inserted: 0, duplicates: 0, position: current, deadLetters: [] };
      }
      const dead: DeadLetter[] = [];
      const good: RawEventRow[] = [];
      for (const row of fresh) {
        const reason = unshippableReason(row);
        if (reason === null) good.push(row);
        else dead.push({ row, reason });
      }
      const inserted = await this.insertRows(source, good, dead);
      if (dead.length > 0) await this.insertDeadLetters(source, dead);
      const last = fresh[fresh.length - 1]!.position;
      await c.query(
        `INSERT INTO forward_checkpoints (source, position, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (source) DO UPDATE SET position = GREATEST(forward_checkpoints.position, excluded.position),
                                            updated_at = excluded.updated_at`,
        [source, last, this.clock.now()],
      );
      await beforeCommit?.({ source, count: fresh.length, firstPosition: fresh[0]!.position, lastPosition: last });
      await c.query('COMMIT');
      const deadLetters = dead
        .map((d) => ({ position: d.row.position, event_id: idOf(d.row), reason: d.reason }))
        .sort((a, b) => a.position - b.position);
      return { inserted, duplicates: good.length - inserted, position: last, deadLetters };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /**
   * All rows in one statement; if PostgreSQL refuses one for its data (a class 22/23/54 error:
   * bad encoding, a second event at one sequence, an id too large to index), the statement is
   * undone to its savepoint and the rows go one by one, each refused row into `dead`.
   */
  private async insertRows(source: string, rows: readonly RawEventRow[], dead: DeadLetter[]): Promise<number> {
    if (rows.length === 0) return 0;
    const c = this.client;
    await c.query('SAVEPOINT fwd_batch');
    try {
      const inserted = await this.insertAll(source, rows);
      await c.query('RELEASE SAVEPOINT fwd_batch');
      return inserted;
    } catch (error) {
      if (!isRowError(error)) throw error;
      await c.query('ROLLBACK TO SAVEPOINT fwd_batch');
    }
    let inserted = 0;
    for (const row of rows) {
      await c.query('SAVEPOINT fwd_row');
      try {
        inserted += await this.insertAll(source, [row]);
        await c.query('RELEASE SAVEPOINT fwd_row');
      } catch (error) {
        if (!isRowError(error)) throw error;
        await c.query('ROLLBACK TO SAVEPOINT fwd_row');
        dead.push({ row, reason: refusal(error) });
      }
    }
    return inserted;
  }

  private async insertAll(source: string, rows: readonly RawEventRow[]): Promise<number> {
    const col = <K extends keyof RawEventRow>(key: K) => rows.map((r) => r[key]);
    const result = await this.client.query(INSERT_SQL, [
      source,
      col('event_id'),
      col('event_type'),
      col('aggregate_type'),
      col('aggregate_id'),
      col('payload'),
      col('metadata'),
      col('created_at'),
      col('sequence_number'),
      col('position'),
      col('correlation_id'),
      rows.map((r) => Boolean(r.json_ok)),
    ]);
    return result.rowCount ?? 0;
  }

  private async insertDeadLetters(source: string, dead: readonly DeadLetter[]): Promise<void> {
    await this.client.query(
      `INSERT INTO forward_dead_letters (source, source_position, event_id, reason, row_json, recorded_at)
       SELECT $1, u.position, u.event_id, u.reason, u.row_json, $6
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(position, event_id, reason, row_json)
       ON CONFLICT (source, source_position) DO NOTHING`,
      [
        source,
        dead.map((d) => d.row.position),
        dead.map((d) => idOf(d.row)),
        dead.map((d) => d.reason),
        dead.map((d) => rowAsJson(d.row)),
        this.clock.now(),
      ],
    );
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.end().catch(() => undefined);
  }
}
