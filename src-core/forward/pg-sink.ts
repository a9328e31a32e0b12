import type pg from 'pg';
import { SystemClock, type Clock } from '../clock/clock';
import { CatalystError, StoreWriteError } from '../errors';
import { loadPg, poolConfig, redactUrl } from '../store/postgres/connection';
import { ensurePostgresSchema, FORWARD_LOCK_KEY } from '../store/postgres/schema';
import type { RawEventRow } from './sqlite-source';

export interface BatchInfo {
  source: string;
  /** Rows this transaction inserts (after the checkpoint filter). */
  count: number;
  firstPosition: number;
  lastPosition: number;
}

export interface BatchResult {
  /** Rows newly inserted. */
  inserted: number;
  /** Rows past the checkpoint whose event_id was already in the table (e.g. a copy of the file under another source). */
  duplicates: number;
  /** The source's checkpoint after the transaction: the file position shipped up to. */
  position: number;
}

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
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new PgSink(where, client, clock);
  }

  async checkpoint(source: string): Promise<number> {
    const { rows } = await this.client.query<{ position: number }>(
      'SELECT position FROM forward_checkpoints WHERE source = $1',
      [source],
    );
    return rows[0]?.position ?? 0;
  }

  async hasEvent(eventId: string): Promise<boolean> {
    const { rowCount } = await this.client.query('SELECT 1 FROM event_log WHERE event_id = $1', [eventId]);
    return (rowCount ?? 0) > 0;
  }

  /**
   * Insert the rows past the source's checkpoint and advance it, atomically. The advisory lock
   * serializes forwarders, so the checkpoint read here is current (a racing forwarder's batch
   * shrinks to nothing) and identity positions follow commit order.
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
        return { inserted: 0, duplicates: 0, position: current };
      }
      const col = <K extends keyof RawEventRow>(key: K) => fresh.map((r) => r[key]);
      let inserted: number;
      try {
        const result = await c.query(INSERT_SQL, [
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
          fresh.map((r) => Boolean(r.json_ok)),
        ]);
        inserted = result.rowCount ?? 0;
      } catch (error) {
        if (errorCode(error) === '23505') {
          // Only the (source, aggregate, sequence) key can conflict here: the file itself
          // holds a duplicated sequence (a seed file written without the UNIQUE constraint).
          throw new StoreWriteError(
            `${source} has two events with one sequence number in an aggregate ` +
              `(${(error as { detail?: string }).detail ?? 'see the file'}); fix the file or forward it with another --source`,
            '23505',
            { cause: error },
          );
        }
        throw error;
      }
      const last = fresh[fresh.length - 1]!.position;
      await c.query(
        `INSERT INTO forward_checkpoints (source, position, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (source) DO UPDATE SET position = GREATEST(forward_checkpoints.position, excluded.position),
                                            updated_at = excluded.updated_at`,
        [source, last, this.clock.now()],
      );
      await beforeCommit?.({ source, count: fresh.length, firstPosition: fresh[0]!.position, lastPosition: last });
      await c.query('COMMIT');
      return { inserted, duplicates: fresh.length - inserted, position: last };
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.client.end().catch(() => undefined);
  }
}
