import type pg from 'pg';
import { ReadOnlyStoreError, SchemaVersionError, StoreOpenError } from '../../errors';
import { isCorruptEvent, type EventRecord } from '../../events/types';
import { toRecord, type EventRow } from '../row-mapper';
import { SequenceScan } from '../sequence-scan';
import type {
  AggregateRange,
  AggregateSummary,
  CorruptRowPage,
  EventFilter,
  EventPage,
  EventReader,
  IntegrityReport,
  LogInspector,
  LogStats,
  PageRequest,
  RawEventRow,
  SequenceReport,
  Snapshot,
  SnapshotStore,
} from '../types';
import { loadPg, poolConfig, redactUrl, type PgConnectOptions } from './connection';
import { PG_SCHEMA_VERSION } from './schema';

/** The same column names the SQLite store selects, so its row mapper reads our rows too. */
const SELECT = `global_position AS position, event_id, event_type, aggregate_type, aggregate_id,
                payload, metadata, created_at, sequence_number`;

/**
 * Options of {@link PostgresEventReader.open}: the pool's (`max` connections, default 4;
 * `connectionTimeoutMs`, default 10,000; `application` name) plus a source scope. Sessions are
 * read-only whatever `readOnly` says.
 */
export interface PostgresReaderOptions extends PgConnectOptions {
  /**
   * Scope every read to one forwarding source (one bot's file): the reader then answers
   * exactly like that file does. Without it, reads span all sources.
   */
  source?: string;
}

/** One forwarding source (one bot's file) as {@link PostgresEventReader.listSources} lists it. */
export interface SourceSummary {
  /** The source name the forwarder wrote its rows under. */
  source: string;
  /** Rows forwarded from it (0 when only its checkpoint exists). */
  events: number;
  /** The source file's position the forwarder has shipped up to (its checkpoint). */
  checkpoint: number | null;
  /** Earliest created_at of its events (Unix ms); null when it has none. */
  first_at: number | null;
  /** Latest created_at of its events (Unix ms); null when it has none. */
  last_at: number | null;
  /** Unix ms of the last forwarded batch. */
  updated_at: number | null;
}

/** Builds `$n` placeholders and their values side by side. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The query side over the shared PostgreSQL log the forwarder fills. Sessions are read-only
 * (default_transaction_read_only), so this reader can never write, whatever the role may do.
 * Also a SnapshotStore with no snapshots: the rebuilder folds from the first event.
 */
export class PostgresEventReader implements EventReader, SnapshotStore, LogInspector {
  readonly readOnly = true;
  readonly canWriteSnapshots = false;
  readonly url: string;
  readonly source: string | undefined;
  private readonly pool: pg.Pool;
  private closed = false;

  private constructor(url: string, pool: pg.Pool, source: string | undefined) {
    this.url = redactUrl(url);
    this.pool = pool;
    this.source = source;
  }

  /** Connects and checks that the database holds a forwarded event log of a version we read. */
  static async open(url: string, options: PostgresReaderOptions = {}): Promise<PostgresEventReader> {
    const where = redactUrl(url);
    const pg = await loadPg(where);
    const pool = new pg.Pool(poolConfig(url, { ...options, readOnly: true }));
    // An idle client's connection dying (server restart) must not crash the process.
    pool.on('error', () => undefined);
    try {
      const { rows } = await pool.query<{ log: string | null; meta: string | null }>(
        "SELECT to_regclass('event_log')::text AS log, to_regclass('catalyst_meta')::text AS meta",
      );
      if (!rows[0]?.log) throw new StoreOpenError(where, 'no event_log table: nothing has been forwarded to this database');
      if (rows[0].meta) {
        const version = await pool.query<{ value: string }>("SELECT value FROM catalyst_meta WHERE key = 'schema_version'");
        const v = Number(version.rows[0]?.value ?? 0);
        if (v > PG_SCHEMA_VERSION) throw new SchemaVersionError(where, v, PG_SCHEMA_VERSION);
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      if (error instanceof StoreOpenError || error instanceof SchemaVersionError) throw error;
      throw new StoreOpenError(where, (error as Error).message, { cause: error });
    }
    return new PostgresEventReader(url, pool, options.source);
  }

  private async rows(sql: string, params: Params | unknown[]): Promise<EventRow[]> {
    this.assertOpen();
    const values = params instanceof Params ? params.values : params;
    return (await this.pool.query<EventRow>(sql, values)).rows;
  }

  /** `AND source = $n` when the reader is scoped, else nothing. */
  private scope(p: Params, column = 'source'): string {
    return this.source === undefined ? '' : ` AND ${column} = ${p.add(this.source)}`;
  }

  async readAggregate(aggregateType: string, aggregateId: string, range: AggregateRange = {}): Promise<EventRecord[]> {
    const p = new Params();
    // Bounds always apply, as in the SQLite store: a row without a sequence number is in no aggregate stream.
    const where = [
      `aggregate_type = ${p.add(aggregateType)}`,
      `aggregate_id = ${p.add(aggregateId)}`,
      `sequence_number >= ${p.add(range.fromSequence ?? Number.MIN_SAFE_INTEGER)}`,
      `sequence_number <= ${p.add(range.toSequence ?? Number.MAX_SAFE_INTEGER)}`,
      `created_at <= ${p.add(range.untilTime ?? Number.MAX_SAFE_INTEGER)}`,
    ];
    const sql = `SELECT ${SELECT} FROM event_log WHERE ${where.join(' AND ')}${this.scope(p)}
                 ORDER BY sequence_number, global_position`;
    return (await this.rows(sql, p)).map(toRecord);
  }

  async readPage(filter: EventFilter, page: PageRequest): Promise<EventPage> {
    const backward = page.direction === 'backward';
    const p = new Params();
    const where: string[] = [];
    if (page.after !== undefined) where.push(`global_position ${backward ? '<' : '>'} ${p.add(page.after)}`);
    if (filter.types && filter.types.length > 0) where.push(`event_type = ANY(${p.add([...filter.types])}::text[])`);
    if (filter.aggregateType !== undefined) where.push(`aggregate_type = ${p.add(filter.aggregateType)}`);
    if (filter.aggregateId !== undefined) where.push(`aggregate_id = ${p.add(filter.aggregateId)}`);
    if (filter.correlationId !== undefined) where.push(`correlation_id = ${p.add(filter.correlationId)}`);
    if (filter.since !== undefined) where.push(`created_at >= ${p.add(filter.since)}`);
    if (filter.until !== undefined) where.push(`created_at <= ${p.add(filter.until)}`);
    if (filter.text) where.push(`payload ILIKE ${p.add(`%${escapeLike(filter.text)}%`)} ESCAPE '\\'`);
    if (filter.source !== undefined) where.push(`source = ${p.add(filter.source)}`);
    const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
    const sql = `SELECT ${SELECT} FROM event_log WHERE TRUE${where.map((w) => ` AND ${w}`).join('')}${this.scope(p)}
                 ORDER BY global_position ${backward ? 'DESC' : 'ASC'} LIMIT ${p.add(limit + 1)}`;
    const rows = await this.rows(sql, p);
    const more = rows.length > limit;
    const records = (more ? rows.slice(0, limit) : rows).map(toRecord);
    return { records, next: more ? records[records.length - 1]!.position : null };
  }

  async readByCorrelation(correlationId: string): Promise<EventRecord[]> {
    const p = new Params();
    const sql = `SELECT ${SELECT} FROM event_log WHERE correlation_id = ${p.add(correlationId)}${this.scope(p)}
                 ORDER BY global_position`;
    return (await this.rows(sql, p)).map(toRecord);
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const p = new Params();
    const [row] = await this.rows(`SELECT ${SELECT} FROM event_log WHERE event_id = ${p.add(eventId)}${this.scope(p)}`, p);
    return row ? toRecord(row) : null;
  }

  async aggregateVersion(aggregateType: string, aggregateId: string): Promise<number> {
    this.assertOpen();
    const p = new Params();
    const { rows } = await this.pool.query<{ v: number }>(
      `SELECT COALESCE(MAX(sequence_number), 0) AS v FROM event_log
       WHERE aggregate_type = ${p.add(aggregateType)} AND aggregate_id = ${p.add(aggregateId)}${this.scope(p)}`,
      p.values,
    );
    return rows[0]?.v ?? 0;
  }

  async listAggregates(options: { aggregateType?: string; limit?: number; afterId?: string } = {}): Promise<AggregateSummary[]> {
    this.assertOpen();
    const p = new Params();
    const where: string[] = [];
    if (options.aggregateType !== undefined) where.push(`aggregate_type = ${p.add(options.aggregateType)}`);
    if (options.afterId !== undefined) where.push(`aggregate_id COLLATE "C" > ${p.add(options.afterId)}`);
    const limit = Math.max(1, Math.min(100_000, options.limit ?? 1000));
    const scope = this.scope(p);
    const lastScope = this.source === undefined ? '' : ` AND l.source = g.src`;
    const sql = `
      SELECT g.aggregate_type, g.aggregate_id, g.version, g.events, g.first_at, g.last_at,
             (SELECT l.event_type FROM event_log l
               WHERE l.aggregate_type = g.aggregate_type AND l.aggregate_id = g.aggregate_id${lastScope}
               ORDER BY l.sequence_number DESC NULLS LAST, l.global_position DESC LIMIT 1) AS last_event_type
      FROM (SELECT aggregate_type, aggregate_id, COALESCE(MAX(sequence_number), 0) AS version, COUNT(*) AS events,
                   MIN(created_at) AS first_at, MAX(created_at) AS last_at, MIN(source) AS src
            FROM event_log WHERE TRUE${where.map((w) => ` AND ${w}`).join('')}${scope}
            GROUP BY aggregate_type, aggregate_id
            ORDER BY aggregate_type COLLATE "C", aggregate_id COLLATE "C" LIMIT ${p.add(limit)}) g
      ORDER BY g.aggregate_type COLLATE "C", g.aggregate_id COLLATE "C"`;
    const { rows } = await this.pool.query<AggregateSummary>(sql, p.values);
    return rows;
  }

  /** Counts over the log (over the source, when scoped); `fileBytes` is always null here. */
  async stats(): Promise<LogStats> {
    this.assertOpen();
    const p = new Params();
    const scope = this.source === undefined ? '' : `WHERE source = ${p.add(this.source)}`;
    const [types, aggregateTypes, totals] = await Promise.all([
      this.pool.query<{ k: string; n: number }>(
        `SELECT event_type AS k, COUNT(*) AS n FROM event_log ${scope} GROUP BY event_type ORDER BY event_type COLLATE "C"`,
        p.values,
      ),
      this.pool.query<{ k: string; n: number }>(
        `SELECT aggregate_type AS k, COUNT(*) AS n FROM event_log ${scope} GROUP BY aggregate_type ORDER BY aggregate_type COLLATE "C"`,
        p.values,
      ),
      this.pool.query<{
        total: number;
        corrupt: number;
        first_at: number | null;
        last_at: number | null;
        aggregates: number;
        head: number;
      }>(
        `SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE NOT json_ok) AS corrupt,
                MIN(created_at) AS first_at, MAX(created_at) AS last_at,
                COUNT(DISTINCT (aggregate_type, aggregate_id)) AS aggregates,
                COALESCE(MAX(global_position), 0) AS head
         FROM event_log ${scope}`,
        p.values,
      ),
    ]);
    const byType: Record<string, number> = {};
    for (const row of types.rows) byType[row.k] = row.n;
    const byAggregateType: Record<string, number> = {};
    for (const row of aggregateTypes.rows) byAggregateType[row.k] = row.n;
    const t = totals.rows[0]!;
    return {
      total: t.total,
      corrupt: t.corrupt,
      byType,
      byAggregateType,
      aggregates: t.aggregates,
      firstAt: t.first_at,
      lastAt: t.last_at,
      fileBytes: null,
      headPosition: t.head,
    };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    const p = new Params();
    const scope = this.source === undefined ? '' : `WHERE source = ${p.add(this.source)}`;
    const { rows } = await this.pool.query<{ head: number }>(
      `SELECT COALESCE(MAX(global_position), 0) AS head FROM event_log ${scope}`,
      p.values,
    );
    return rows[0]?.head ?? 0;
  }

  /** Every source forwarded here, with its row count and forwarding checkpoint. */
  async listSources(): Promise<SourceSummary[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<SourceSummary>(
      `SELECT s.source, COALESCE(e.events, 0) AS events, c.position AS checkpoint, e.first_at, e.last_at, c.updated_at
       FROM (SELECT source FROM event_log GROUP BY source UNION SELECT source FROM forward_checkpoints) s
       LEFT JOIN (SELECT source, COUNT(*) AS events, MIN(created_at) AS first_at, MAX(created_at) AS last_at
                  FROM event_log GROUP BY source) e ON e.source = s.source
       LEFT JOIN forward_checkpoints c ON c.source = s.source
       ORDER BY s.source COLLATE "C"`,
    );
    return rows;
  }

  // ---------------------------------------------------------------- inspection (verify, viewer, tools)

  /** Rows after a global position, as forwarded (text byte for byte, json_ok as SQLite computed it). */
  async readRawBatch(afterPosition: number, limit: number): Promise<RawEventRow[]> {
    this.assertOpen();
    const p = new Params();
    const { rows } = await this.pool.query<RawEventRow & { json_ok: boolean | number }>(
      `SELECT ${SELECT}, correlation_id, json_ok FROM event_log
       WHERE global_position > ${p.add(afterPosition)}${this.scope(p)}
       ORDER BY global_position LIMIT ${p.add(Math.max(1, Math.floor(limit)))}`,
      p.values,
    );
    for (const row of rows) row.json_ok = row.json_ok ? 1 : 0;
    return rows;
  }

  /** json_ok was decided by the row mapper at forward time; the mapper shapes each hit again. */
  async corruptRows(page: { after?: number; limit: number }): Promise<CorruptRowPage> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
    const p = new Params();
    const rows = await this.rows(
      `SELECT ${SELECT} FROM event_log WHERE NOT json_ok AND global_position > ${p.add(page.after ?? 0)}${this.scope(p)}
       ORDER BY global_position LIMIT ${p.add(limit + 1)}`,
      p,
    );
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { records: kept.map(toRecord).filter(isCorruptEvent), next: more ? kept[kept.length - 1]!.position : null };
  }

  /**
   * What PostgreSQL can say without extensions: every index on event_log valid and ready
   * (a failed concurrent build leaves one that is not), and the append-only trigger enabled.
   */
  async integrityCheck(): Promise<IntegrityReport> {
    this.assertOpen();
    const lines: string[] = [];
    const indexes = await this.pool.query<{ name: string; valid: boolean; ready: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid, i.indisready AS ready
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = to_regclass('event_log') ORDER BY c.relname`,
    );
    for (const index of indexes.rows) {
      if (!index.valid || !index.ready) lines.push(`index ${index.name} is not valid (rebuild it with REINDEX)`);
    }
    const trigger = await this.pool.query<{ enabled: string }>(
      `SELECT tgenabled AS enabled FROM pg_trigger
       WHERE tgrelid = to_regclass('event_log') AND tgname = 'trg_event_log_append_only'`,
    );
    if (trigger.rows.length === 0) lines.push('trigger trg_event_log_append_only is missing: event_log is not append-only');
    else if (trigger.rows[0]!.enabled === 'D') lines.push('trigger trg_event_log_append_only is disabled');
    return { check: 'PostgreSQL catalog check', ok: lines.length === 0, lines: lines.length === 0 ? ['ok'] : lines };
  }

  /**
   * One ordered pass through a server-side cursor (memory: a fetch, plus one aggregate's
   * state), then the event ids of the problem rows. Without a source scope, each source's
   * aggregates are checked apart: two bots may both own `risk:book`.
   */
  async checkSequences(): Promise<SequenceReport> {
    this.assertOpen();
    const client = await this.pool.connect();
    const scan = new SequenceScan();
    try {
      await client.query('BEGIN');
      const scope = this.source === undefined ? '' : `WHERE source = ${client.escapeLiteral(this.source)}`;
      await client.query(
        `DECLARE catalyst_sequences NO SCROLL CURSOR FOR
         SELECT aggregate_type, aggregate_id, sequence_number, source FROM event_log ${scope}
         ORDER BY aggregate_type COLLATE "C", aggregate_id COLLATE "C", source COLLATE "C", sequence_number NULLS FIRST`,
      );
      const FETCH = 10_000;
      for (;;) {
        const { rows } = await client.query<[string, string, number | null, string]>({
          text: `FETCH ${FETCH} FROM catalyst_sequences`,
          rowMode: 'array',
        });
        for (const [type, id, seq, source] of rows) scan.add(type, id, seq, source);
        if (rows.length < FETCH) break;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    const problems = [];
    for (const { sequence, group, ...problem } of scan.finish()) {
      const p = new Params();
      const where = [
        `aggregate_type = ${p.add(problem.aggregate_type)}`,
        `aggregate_id = ${p.add(problem.aggregate_id)}`,
        `source = ${p.add(group)}`,
      ];
      if (problem.kind === 'duplicate') where.push(`sequence_number = ${p.add(sequence)}`);
      else if (problem.kind === 'no_sequence') where.push('(sequence_number IS NULL OR sequence_number < 1)');
      const event_ids =
        problem.kind === 'gap'
          ? []
          : (
              await this.pool.query<{ event_id: string }>(
                `SELECT event_id FROM event_log WHERE ${where.join(' AND ')} ORDER BY global_position`,
                p.values,
              )
            ).rows.map((r) => r.event_id);
      problems.push({ ...problem, event_ids });
    }
    return { aggregates: scan.aggregates, problems };
  }

  snapshotKeys(): Promise<{ aggregateType: string; aggregateId: string }[]> {
    return Promise.resolve([]);
  }

  // ---------------------------------------------------------------- snapshots (none here)

  /** Always null: PostgreSQL keeps no snapshots, so a rebuild folds from the first event. */
  loadSnapshot(): Promise<Snapshot | null> {
    return Promise.resolve(null);
  }

  saveSnapshot(): void {
    throw new ReadOnlyStoreError('saveSnapshot');
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreOpenError(this.url, 'the reader is closed');
  }

  /** Ends the connection pool; a second call does nothing. Reads afterwards reject with {@link StoreOpenError}. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** The query side on PostgreSQL, for `--pg URL` in the CLI and the viewer. */
export function openPostgresReader(url: string, options?: PostgresReaderOptions): Promise<PostgresEventReader> {
  return PostgresEventReader.open(url, options);
}
