import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SystemClock, type Clock } from '../../clock/clock';
import {
  ConcurrencyError,
  DuplicateEventError,
  ReadOnlyStoreError,
  StoreOpenError,
  StoreWriteError,
  ValidationError,
} from '../../errors';
import { UuidV7Generator } from '../../events/ids';
import type { EventMetadata, EventRecord, NewEvent, StoredEvent } from '../../events/types';
import { isCorruptEvent } from '../../events/types';
import type {
  AggregateRange,
  AggregateSummary,
  CheckpointStore,
  EventFilter,
  EventPage,
  EventReader,
  EventWriter,
  LogStats,
  PageRequest,
  Snapshot,
  SnapshotStore,
} from '../types';
import { isCorruptRow, maybeCorruptSql, toRecord, type EventRow } from './row-mapper';
import { assertSupportedVersion, correlationExpr, migrate, readFeatures, type SchemaFeatures } from './schema';

export type Durability = 'off' | 'normal' | 'full';

export interface SqliteStoreOptions {
  file: string;
  /** Open with readonly + fileMustExist + query_only: never writes, never migrates. */
  readOnly?: boolean;
  clock?: Clock;
  /** SQLite `synchronous`: normal survives a process crash, full also an OS crash / power loss. */
  durability?: Durability;
  busyTimeoutMs?: number;
  /** SQLite page cache per connection, in KiB (default 64 MiB). */
  cacheSizeKb?: number;
  ids?: UuidV7Generator;
}

/** How often a write retries after SQLITE_BUSY outlasted busy_timeout, before giving up. */
export const BUSY_RETRIES = 5;

const DEFAULT_METADATA_SOURCE = 'catalyst-events';
const SEQ_CACHE_LIMIT = 100_000;

interface Prepared {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  payloadJson: string;
  metadata: EventMetadata;
  metadataJson: string;
  created_at: number;
  expected_version: number | undefined;
}

function sqliteCode(error: unknown): string | undefined {
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
function withBusyRetries<T>(work: () => T, onFailure?: () => void): T {
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

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The event log in one SQLite file, in the seed's format. Writes are synchronous
 * (better-sqlite3), so an `append` that returned is committed; reads are async only to
 * share the EventReader interface with the PostgreSQL backend.
 */
export class SqliteEventStore implements EventWriter, EventReader, SnapshotStore, CheckpointStore {
  readonly file: string;
  readonly readOnly: boolean;
  readonly canWriteSnapshots: boolean;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly ids: UuidV7Generator;
  private readonly features: SchemaFeatures;
  /** Last sequence per aggregate as this process last saw it; the unique index catches staleness. */
  private readonly lastSeq = new Map<string, number>();
  private readonly stmts: ReturnType<SqliteEventStore['prepareStatements']>;
  /** One transaction function for the store's life (better-sqlite3 builds wrappers per call). */
  private readonly writeBatch: Database.Transaction<(batch: Prepared[]) => StoredEvent[]>;
  private readonly pos: { select: string; from: string; col: string; fromAggregateFirst: string };
  private closed = false;

  static open(options: SqliteStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  private constructor(options: SqliteStoreOptions) {
    this.file = options.file;
    this.readOnly = options.readOnly ?? false;
    this.clock = options.clock ?? new SystemClock();
    this.ids = options.ids ?? new UuidV7Generator();
    let db: Database.Database;
    try {
      db = new Database(options.file, this.readOnly ? { readonly: true, fileMustExist: true } : {});
    } catch (error) {
      throw new StoreOpenError(options.file, (error as Error).message, { cause: error });
    }
    this.db = db;
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      // The default 2 MB page cache thrashes once a log's indexes outgrow it (index pages get
      // re-read for every insert); 64 MB keeps the hot index pages of a multi-million-event log.
      db.pragma(`cache_size = -${Math.max(2048, Math.floor(options.cacheSizeKb ?? 65_536))}`);
      if (this.readOnly) {
        db.pragma('query_only = ON');
        this.features = readFeatures(db);
        assertSupportedVersion(options.file, this.features);
      } else {
        db.pragma(`synchronous = ${(options.durability ?? 'normal').toUpperCase()}`);
        // Another process may be writing, or recovering the WAL, as this one opens.
        this.features = withBusyRetries(() => {
          if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
          return migrate(db, options.file, this.clock.now());
        });
      }
      if (!this.features.hasEventLog) {
        throw new StoreOpenError(options.file, 'no event_log table: not an event log');
      }
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
    this.canWriteSnapshots = !this.readOnly;
    this.pos = this.features.hasPositionTable
      ? {
          select: 'p.position AS position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.metadata, e.created_at, e.sequence_number',
          // CROSS JOIN fixes the loop order: walk positions, probe the log by primary key.
          from: 'event_position p CROSS JOIN event_log e ON e.event_id = p.event_id',
          fromAggregateFirst: 'event_log e CROSS JOIN event_position p ON p.event_id = e.event_id',
          col: 'p.position',
        }
      : {
          // A seed-written file opened read-only: rowid is the best order there is.
          select: 'e.rowid AS position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.metadata, e.created_at, e.sequence_number',
          from: 'event_log e',
          fromAggregateFirst: 'event_log e',
          col: 'e.rowid',
        };
    this.stmts = this.prepareStatements();
    this.writeBatch = this.db.transaction((batch: Prepared[]) => {
      let head = this.stmts.headPosition.get() as number;
      const out: StoredEvent[] = [];
      for (const p of batch) {
        const stored = this.insertOne(p, head + 1);
        if (stored.position > head) head = stored.position;
        out.push(stored);
      }
      return out;
    });
  }

  private prepareStatements() {
    const { select, fromAggregateFirst, col } = this.pos;
    const db = this.db;
    return {
      maxSeq: db
        .prepare('SELECT COALESCE(MAX(sequence_number), 0) FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
        .pluck(),
      headPosition: db.prepare(
        this.features.hasPositionTable
          ? 'SELECT COALESCE(MAX(position), 0) FROM event_position'
          : 'SELECT COALESCE(MAX(rowid), 0) FROM event_log',
      ).pluck(),
      insert: this.readOnly
        ? null
        : db.prepare(
            `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
      byId: db.prepare(`SELECT ${select} FROM ${fromAggregateFirst} WHERE e.event_id = ?`),
      aggregate: db.prepare(
        `SELECT ${select} FROM ${fromAggregateFirst}
         WHERE e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?
         ORDER BY e.sequence_number`,
      ),
      correlation: db.prepare(
        `SELECT ${select} FROM ${fromAggregateFirst} WHERE ${correlationExpr('e.metadata')} = ? ORDER BY ${col}`,
      ),
    };
  }

  // ---------------------------------------------------------------- write side

  append(event: NewEvent): StoredEvent {
    const [stored] = this.appendBatch([event]);
    return stored!;
  }

  appendBatch(events: readonly NewEvent[]): StoredEvent[] {
    this.assertWritable('append');
    if (events.length === 0) return [];
    const prepared = events.map((e) => this.prepare(e));
    try {
      return withBusyRetries(
        () => this.writeBatch.immediate(prepared),
        // Sequences cached while the batch ran are not true after a rollback: forget them
        // (the next append re-reads the file).
        () => prepared.forEach((p) => this.lastSeq.delete(this.key(p.aggregate_type, p.aggregate_id))),
      );
    } catch (error) {
      const code = sqliteCode(error);
      if (code?.startsWith('SQLITE_')) {
        const reason =
          code === 'SQLITE_BUSY'
            ? `database stayed locked by another writer (${BUSY_RETRIES + 1} tries)`
            : code === 'SQLITE_FULL'
              ? 'database or disk is full'
              : (error as Error).message;
        throw new StoreWriteError(reason, code, { cause: error });
      }
      throw error;
    }
  }

  private insertOne(p: Prepared, nextPosition: number): StoredEvent {
    const key = this.key(p.aggregate_type, p.aggregate_id);
    for (let attempt = 0; attempt < 3; attempt++) {
      // With an expected version the truth must come from the file, not the cache.
      const current =
        p.expected_version !== undefined || attempt > 0
          ? (this.stmts.maxSeq.get(p.aggregate_type, p.aggregate_id) as number)
          : (this.lastSeq.get(key) ?? (this.stmts.maxSeq.get(p.aggregate_type, p.aggregate_id) as number));
      if (p.expected_version !== undefined && current !== p.expected_version) {
        const existing = this.existingDuplicate(p);
        if (existing) return existing;
        throw new ConcurrencyError(p.aggregate_type, p.aggregate_id, p.expected_version, current);
      }
      const sequence = current + 1;
      try {
        this.stmts.insert!.run(
          p.event_id,
          p.event_type,
          p.aggregate_type,
          p.aggregate_id,
          p.payloadJson,
          p.metadataJson,
          p.created_at,
          sequence,
        );
      } catch (error) {
        if (!sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT')) throw error;
        const existing = this.existingDuplicate(p);
        if (existing) return existing;
        // Another process took this sequence: re-read and try again.
        this.lastSeq.delete(key);
        continue;
      }
      if (this.lastSeq.size >= SEQ_CACHE_LIMIT) this.lastSeq.clear();
      this.lastSeq.set(key, sequence);
      return {
        position: nextPosition,
        event_id: p.event_id,
        event_type: p.event_type,
        aggregate_type: p.aggregate_type,
        aggregate_id: p.aggregate_id,
        sequence_number: sequence,
        created_at: p.created_at,
        payload: p.payload,
        metadata: p.metadata,
      };
    }
    throw new StoreWriteError(`could not allocate a sequence number for ${key.replace('\u0000', ':')}`, undefined);
  }

  /** Idempotency: the same event again returns the stored one; same id, other content, is an error. */
  private existingDuplicate(p: Prepared): StoredEvent | null {
    const row = this.stmts.byId.get(p.event_id) as EventRow | undefined;
    if (!row) return null;
    const stored = toRecord(row);
    const differs: string[] = [];
    if (stored.event_type !== p.event_type) differs.push('event_type');
    if (stored.aggregate_type !== p.aggregate_type || stored.aggregate_id !== p.aggregate_id) differs.push('aggregate');
    if (isCorruptEvent(stored) || !deepEqual(stored.payload, p.payload)) differs.push('payload');
    if (differs.length > 0) throw new DuplicateEventError(p.event_id, `${differs.join(', ')} differ`);
    return stored as StoredEvent;
  }

  private prepare(e: NewEvent): Prepared {
    const created_at = e.created_at ?? this.clock.now();
    const event_id = e.event_id ?? this.ids.next(created_at);
    const metadata: EventMetadata = {
      source: DEFAULT_METADATA_SOURCE,
      correlation_id: null,
      causation_id: null,
      user_id: null,
      version: '1.0',
      ...e.metadata,
    };
    const required: [string, unknown][] = [
      ['event_type', e.event_type],
      ['aggregate_type', e.aggregate_type],
      ['aggregate_id', e.aggregate_id],
    ];
    for (const [path, value] of required) {
      if (typeof value !== 'string' || value.length === 0) {
        throw new ValidationError(String(e.event_type), [{ path, message: 'must be a non-empty string' }]);
      }
    }
    if (!Number.isSafeInteger(created_at)) {
      throw new ValidationError(e.event_type, [{ path: 'created_at', message: 'must be an integer Unix ms time' }]);
    }
    let payloadJson: string;
    let metadataJson: string;
    try {
      payloadJson = JSON.stringify(e.payload);
    } catch (error) {
      throw new ValidationError(e.event_type, [{ path: 'payload', message: `not JSON-serializable: ${(error as Error).message}` }]);
    }
    if (typeof payloadJson !== 'string' || !payloadJson.startsWith('{')) {
      throw new ValidationError(e.event_type, [{ path: 'payload', message: 'must be a JSON object' }]);
    }
    try {
      metadataJson = JSON.stringify(metadata);
    } catch (error) {
      throw new ValidationError(e.event_type, [{ path: 'metadata', message: `not JSON-serializable: ${(error as Error).message}` }]);
    }
    return {
      event_id,
      event_type: e.event_type,
      aggregate_type: e.aggregate_type,
      aggregate_id: e.aggregate_id,
      payload: e.payload,
      payloadJson,
      metadata,
      metadataJson,
      created_at,
      expected_version: e.expected_version,
    };
  }

  private key(type: string, id: string): string {
    return `${type}\u0000${id}`;
  }

  private assertWritable(operation: string): void {
    if (this.closed) throw new StoreOpenError(this.file, 'the store is closed');
    if (this.readOnly) throw new ReadOnlyStoreError(operation);
  }

  // ---------------------------------------------------------------- read side

  readAggregateSync(aggregateType: string, aggregateId: string, range: AggregateRange = {}): EventRecord[] {
    const rows = this.stmts.aggregate.all(
      aggregateType,
      aggregateId,
      range.fromSequence ?? Number.MIN_SAFE_INTEGER,
      range.toSequence ?? Number.MAX_SAFE_INTEGER,
      range.untilTime ?? Number.MAX_SAFE_INTEGER,
    ) as EventRow[];
    return rows.map(toRecord);
  }

  async readAggregate(aggregateType: string, aggregateId: string, range?: AggregateRange): Promise<EventRecord[]> {
    return this.readAggregateSync(aggregateType, aggregateId, range);
  }

  readPageSync(filter: EventFilter, page: PageRequest): EventPage {
    const backward = page.direction === 'backward';
    const { select, from, fromAggregateFirst, col } = this.pos;
    const where: string[] = [];
    const params: unknown[] = [];
    if (page.after !== undefined) {
      where.push(`${col} ${backward ? '<' : '>'} ?`);
      params.push(page.after);
    }
    if (filter.types && filter.types.length > 0) {
      where.push(`e.event_type IN (${filter.types.map(() => '?').join(', ')})`);
      params.push(...filter.types);
    }
    if (filter.aggregateType !== undefined) {
      where.push('e.aggregate_type = ?');
      params.push(filter.aggregateType);
    }
    if (filter.aggregateId !== undefined) {
      where.push('e.aggregate_id = ?');
      params.push(filter.aggregateId);
    }
    if (filter.correlationId !== undefined) {
      where.push(`${correlationExpr('e.metadata')} = ?`);
      params.push(filter.correlationId);
    }
    if (filter.since !== undefined) {
      where.push('e.created_at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('e.created_at <= ?');
      params.push(filter.until);
    }
    if (filter.text) {
      where.push("e.payload LIKE ? ESCAPE '\\'");
      params.push(`%${escapeLike(filter.text)}%`);
    }
    if (filter.source !== undefined) {
      where.push("(CASE WHEN json_valid(e.metadata) THEN json_extract(e.metadata, '$.source') END) = ?");
      params.push(filter.source);
    }
    const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
    params.push(limit + 1);
    // Selective filters (an aggregate, a correlation, a time window) drive the search from
    // their index and sort what they find; without one, walk positions in order.
    const selective =
      filter.aggregateId !== undefined ||
      filter.correlationId !== undefined ||
      (filter.since !== undefined && filter.until !== undefined);
    const source = selective ? fromAggregateFirst : from;
    const sql = `SELECT ${select} FROM ${source} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY ${col} ${backward ? 'DESC' : 'ASC'} LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params) as EventRow[];
    const more = rows.length > limit;
    const records = (more ? rows.slice(0, limit) : rows).map(toRecord);
    return { records, next: more ? records[records.length - 1]!.position : null };
  }

  async readPage(filter: EventFilter, page: PageRequest): Promise<EventPage> {
    return this.readPageSync(filter, page);
  }

  async readByCorrelation(correlationId: string): Promise<EventRecord[]> {
    return (this.stmts.correlation.all(correlationId) as EventRow[]).map(toRecord);
  }

  async getEvent(eventId: string): Promise<EventRecord | null> {
    const row = this.stmts.byId.get(eventId) as EventRow | undefined;
    return row ? toRecord(row) : null;
  }

  aggregateVersionSync(aggregateType: string, aggregateId: string): number {
    return this.stmts.maxSeq.get(aggregateType, aggregateId) as number;
  }

  async aggregateVersion(aggregateType: string, aggregateId: string): Promise<number> {
    return this.aggregateVersionSync(aggregateType, aggregateId);
  }

  async listAggregates(
    options: { aggregateType?: string; limit?: number; afterId?: string } = {},
  ): Promise<AggregateSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.aggregateType !== undefined) {
      where.push('aggregate_type = ?');
      params.push(options.aggregateType);
    }
    if (options.afterId !== undefined) {
      where.push('aggregate_id > ?');
      params.push(options.afterId);
    }
    params.push(Math.max(1, Math.min(100_000, options.limit ?? 1000)));
    const sql = `
      SELECT g.aggregate_type, g.aggregate_id, g.version, g.events, g.first_at, g.last_at,
             (SELECT l.event_type FROM event_log l
               WHERE l.aggregate_type = g.aggregate_type AND l.aggregate_id = g.aggregate_id
               ORDER BY l.sequence_number DESC LIMIT 1) AS last_event_type
      FROM (SELECT aggregate_type, aggregate_id, COALESCE(MAX(sequence_number), 0) AS version, COUNT(*) AS events,
                   MIN(created_at) AS first_at, MAX(created_at) AS last_at
            FROM event_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
            GROUP BY aggregate_type, aggregate_id
            ORDER BY aggregate_type, aggregate_id LIMIT ?) g`;
    return this.db.prepare(sql).all(...params) as AggregateSummary[];
  }

  async stats(): Promise<LogStats> {
    const byType: Record<string, number> = {};
    for (const row of this.db.prepare('SELECT event_type, COUNT(*) AS n FROM event_log GROUP BY event_type ORDER BY event_type').all() as { event_type: string; n: number }[]) {
      byType[row.event_type] = row.n;
    }
    const byAggregateType: Record<string, number> = {};
    for (const row of this.db.prepare('SELECT aggregate_type, COUNT(*) AS n FROM event_log GROUP BY aggregate_type ORDER BY aggregate_type').all() as { aggregate_type: string; n: number }[]) {
      byAggregateType[row.aggregate_type] = row.n;
    }
    const totals = this.db
      .prepare(
        'SELECT COUNT(*) AS total, MIN(created_at) AS firstAt, MAX(created_at) AS lastAt FROM event_log',
      )
      .get() as { total: number; firstAt: number | null; lastAt: number | null };
    const suspects = this.db
      .prepare(`SELECT CAST(payload AS TEXT) AS payload, CAST(metadata AS TEXT) AS metadata FROM event_log WHERE ${maybeCorruptSql()}`)
      .all() as Pick<EventRow, 'payload' | 'metadata'>[];
    const corrupt = suspects.filter(isCorruptRow).length;
    const aggregates = this.db
      .prepare('SELECT COUNT(*) FROM (SELECT 1 FROM event_log GROUP BY aggregate_type, aggregate_id)')
      .pluck()
      .get() as number;
    let fileBytes: number | null = null;
    if (this.file !== ':memory:') {
      try {
        fileBytes = statSync(this.file).size;
      } catch {
        fileBytes = null;
      }
    }
    return {
      total: totals.total,
      corrupt,
      byType,
      byAggregateType,
      aggregates,
      firstAt: totals.firstAt,
      lastAt: totals.lastAt,
      fileBytes,
      headPosition: this.stmts.headPosition.get() as number,
    };
  }

  headPositionSync(): number {
    return this.stmts.headPosition.get() as number;
  }

  async headPosition(): Promise<number> {
    return this.headPositionSync();
  }

  /** Changes whenever another connection commits to the file: cheap polling for "new events". */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  // ---------------------------------------------------------------- snapshots

  async loadSnapshot(aggregateType: string, aggregateId: string): Promise<Snapshot | null> {
    if (!this.features.hasSnapshots) return null;
    const versionCol = this.features.hasSnapshotReducerVersion ? 'reducer_version' : 'NULL AS reducer_version';
    const row = this.db
      .prepare(
        `SELECT aggregate_type, aggregate_id, state, ${versionCol}, last_event_id, last_sequence_number, created_at
         FROM event_snapshots WHERE aggregate_type = ? AND aggregate_id = ?`,
      )
      .get(aggregateType, aggregateId) as (Omit<Snapshot, 'state'> & { state: string }) | undefined;
    if (!row) return null;
    try {
      return { ...row, state: JSON.parse(row.state) as unknown };
    } catch {
      return null; // a corrupt snapshot is no snapshot: the rebuilder folds from the start
    }
  }

  saveSnapshot(snapshot: Omit<Snapshot, 'created_at'> & { created_at?: number }): void {
    this.assertWritable('saveSnapshot');
    const created = snapshot.created_at ?? this.clock.now();
    this.db
      .prepare(
        `INSERT INTO event_snapshots (snapshot_id, aggregate_type, aggregate_id, state, last_event_id, last_sequence_number, created_at, reducer_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(aggregate_type, aggregate_id) DO UPDATE SET
           snapshot_id = excluded.snapshot_id, state = excluded.state, last_event_id = excluded.last_event_id,
           last_sequence_number = excluded.last_sequence_number, created_at = excluded.created_at,
           reducer_version = excluded.reducer_version`,
      )
      .run(
        this.ids.next(created),
        snapshot.aggregate_type,
        snapshot.aggregate_id,
        JSON.stringify(snapshot.state),
        snapshot.last_event_id,
        snapshot.last_sequence_number,
        created,
        snapshot.reducer_version,
      );
  }

  // ---------------------------------------------------------------- checkpoints

  getCheckpoint(name: string): number | null {
    if (!this.features.hasCheckpoints) return null;
    const value = this.db.prepare('SELECT position FROM subscription_checkpoints WHERE name = ?').pluck().get(name);
    return value === undefined ? null : (value as number);
  }

  saveCheckpoint(name: string, position: number): void {
    this.assertWritable('saveCheckpoint');
    this.db
      .prepare(
        `INSERT INTO subscription_checkpoints (name, position, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
      )
      .run(name, position, this.clock.now());
  }

  // ---------------------------------------------------------------- lifecycle

  /** The underlying handle, for tests and tools that need raw SQL (integrity_check, pragmas). */
  get connection(): Database.Database {
    return this.db;
  }

  get schemaFeatures(): Readonly<SchemaFeatures> {
    return this.features;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
