import type Database from 'better-sqlite3';
import { SystemClock, type Clock } from '../../clock/clock';
import { ReadOnlyStoreError, StoreOpenError } from '../../errors';
import { UuidV7Generator } from '../../events/ids';
import type { EventRecord, PreparedEvent, StoredEvent } from '../../events/types';
import type {
  AggregateProjection,
  AggregateRange,
  AggregateSummary,
  CheckpointStore,
  CorruptRowPage,
  EventFilter,
  EventPage,
  EventReader,
  EventWriter,
  IntegrityReport,
  LogInspector,
  LeanEvent,
  LogStats,
  PageRequest,
  RawEventRow,
  SequenceReport,
  Snapshot,
  SnapshotStore,
  WriterConnectionOptions,
} from '../types';
import { AppendEvents } from './append/append-events';
import { Checkpoints } from './checkpoints/checkpoints';
import { DEFAULT_BUSY_TIMEOUT_MS, openConnection, type Durability } from './connection';
import { checkSequences } from './inspect/check-sequences';
import { CorruptRows } from './inspect/corrupt-rows';
import { integrityCheck } from './inspect/integrity-check';
import { RawBatch } from './inspect/raw-batch';
import { positionJoin, type PositionJoin } from './positions';
import { GetEvent } from './read/get-event';
import { aggregateTypes } from './read/aggregate-types';
import { listAggregates, type ListAggregatesOptions } from './read/list-aggregates';
import { logStats } from './read/log-stats';
import { ReadAggregate } from './read/read-aggregate';
import { ReadAhead } from './read/read-ahead/read-ahead';
import { ReadByCorrelation } from './read/read-by-correlation';
import { readPage } from './read/read-page';
import type { SchemaFeatures } from './schema/features';
import type { MigrationHooks } from './schema/migrate';
import { Snapshots, type SnapshotInput } from './snapshots/snapshots';
import { WalCheckpoints } from './wal/wal-checkpoints';
import { settled } from '../settled';

export { BUSY_RETRIES, type Durability } from './connection';

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
  /** Crash drills in tests only. */
  migration?: MigrationHooks;
}

/**
 * The event log in one SQLite file, in the seed's format: a thin front over one module per
 * operation (append/, read/, snapshots/, checkpoints/, inspect/, schema/; positions.ts joins
 * rows to positions). Writes are synchronous (better-sqlite3), so an `append` that returned is
 * committed; reads are async only to share the EventReader interface with PostgreSQL.
 */
export class SqliteEventStore implements EventWriter, EventReader, SnapshotStore, CheckpointStore, LogInspector {
  readonly file: string;
  readonly readOnly: boolean;
  readonly canWriteSnapshots: boolean;
  private readonly db: Database.Database;
  private readonly clock: Clock;
  private readonly ids: UuidV7Generator;
  private readonly features: SchemaFeatures;
  private readonly join: PositionJoin;
  private readonly head: Database.Statement;
  private readonly version: Database.Statement;
  private readonly appender: AppendEvents | null;
  /**
   * When and where this writer's WAL is checkpointed (null: SQLite's own way, or no WAL).
   * @internal for diagnostics and tests
   */
  readonly walCheckpoints: WalCheckpoints | null = null;
  private readonly byId: GetEvent;
  private readonly aggregate: ReadAggregate;
  private readonly correlation: ReadByCorrelation;
  private readonly raw: RawBatch;
  private readonly corrupt: CorruptRows;
  private readonly snapshots: Snapshots;
  private readonly checkpoints: Checkpoints;
  private readonly options: SqliteStoreOptions;
  private pageCap: Database.Statement | null = null;
  private readAhead: ReadAhead | null | undefined;
  private closed = false;

  static open(options: SqliteStoreOptions): SqliteEventStore {
    return new SqliteEventStore(options);
  }

  private constructor(options: SqliteStoreOptions) {
    this.file = options.file;
    this.options = options;
    this.readOnly = options.readOnly ?? false;
    this.clock = options.clock ?? new SystemClock();
    this.ids = options.ids ?? new UuidV7Generator();
    const { db, features } = openConnection({
      file: options.file,
      readOnly: this.readOnly,
      now: this.clock.now(),
      ...(options.durability !== undefined ? { durability: options.durability } : {}),
      ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      ...(options.cacheSizeKb !== undefined ? { cacheSizeKb: options.cacheSizeKb } : {}),
      ...(options.migration !== undefined ? { migration: options.migration } : {}),
    });
    this.db = db;
    this.features = features;
    this.canWriteSnapshots = !this.readOnly;
    this.join = positionJoin(features.positionLink);
    this.head = db.prepare(this.join.headSql).pluck();
    this.version = db
      .prepare('SELECT COALESCE(MAX(sequence_number), 0) FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
      .pluck();
    this.byId = new GetEvent(db, this.join);
    this.aggregate = new ReadAggregate(db, this.join, () => this.readerThread());
    this.correlation = new ReadByCorrelation(db, this.join);
    this.raw = new RawBatch(db, this.join);
    this.corrupt = new CorruptRows(db, this.join);
    this.snapshots = new Snapshots(db, features);
    this.checkpoints = new Checkpoints(db, features);
    if (this.readOnly) {
      this.appender = null;
    } else {
      // Under 'full' SQLite's own checkpoints stay (see openConnection); a file in memory has no WAL.
      this.walCheckpoints =
        options.durability === 'full' || inMemory(db) ? null : new WalCheckpoints(db, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
      this.appender = new AppendEvents(db, this.join, this.byId, this.clock, this.ids, this.walCheckpoints);
    }
  }

  // ---------------------------------------------------------------- write side

  append(event: PreparedEvent): StoredEvent {
    return this.appendBatch([event])[0]!;
  }

  appendBatch(events: readonly PreparedEvent[]): StoredEvent[] {
    return this.writable('append').append(events);
  }

  writerOptions(): WriterConnectionOptions | null {
    if (this.readOnly || this.closed || this.file === ':memory:' || this.file === '') return null;
    const { durability, busyTimeoutMs, cacheSizeKb } = this.options;
    this.pageCap ??= this.db.prepare('PRAGMA max_page_count').pluck();
    return {
      file: this.file,
      ...(durability !== undefined ? { durability } : {}),
      ...(busyTimeoutMs !== undefined ? { busyTimeoutMs } : {}),
      ...(cacheSizeKb !== undefined ? { cacheSizeKb } : {}),
      maxPageCount: this.pageCap.get() as number,
    };
  }

  /** Caps the file at this many pages for this connection (`max_page_count`): a second writer follows the first's cap. */
  capPages(maxPageCount: number): void {
    this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxPageCount))}`);
  }

  // ---------------------------------------------------------------- read side

  readAggregateSync(aggregateType: string, aggregateId: string, range?: AggregateRange): EventRecord[] {
    return this.aggregate.sync(aggregateType, aggregateId, range);
  }

  readAggregate(aggregateType: string, aggregateId: string, range?: AggregateRange): Promise<EventRecord[]> {
    return settled(() => this.readAggregateSync(aggregateType, aggregateId, range));
  }

  streamAggregate(aggregateType: string, aggregateId: string, range?: AggregateRange): Iterable<EventRecord>;
  streamAggregate(
    aggregateType: string,
    aggregateId: string,
    range: AggregateRange | undefined,
    projection: AggregateProjection,
  ): Iterable<EventRecord | LeanEvent>;
  streamAggregate(
    aggregateType: string,
    aggregateId: string,
    range?: AggregateRange,
    projection?: AggregateProjection,
  ): Iterable<EventRecord | LeanEvent> {
    return this.aggregate.stream(aggregateType, aggregateId, range, projection);
  }

  readPageSync(filter: EventFilter, page: PageRequest): EventPage {
    return readPage(this.db, this.join, filter, page);
  }

  readPage(filter: EventFilter, page: PageRequest): Promise<EventPage> {
    return settled(() => this.readPageSync(filter, page));
  }

  readByCorrelation(correlationId: string): Promise<EventRecord[]> {
    return settled(() => this.correlation.sync(correlationId));
  }

  getEvent(eventId: string): Promise<EventRecord | null> {
    return settled(() => this.byId.sync(eventId));
  }

  aggregateVersionSync(aggregateType: string, aggregateId: string): number {
    return this.version.get(aggregateType, aggregateId) as number;
  }

  aggregateVersion(aggregateType: string, aggregateId: string): Promise<number> {
    return settled(() => this.aggregateVersionSync(aggregateType, aggregateId));
  }

  listAggregates(options?: ListAggregatesOptions): Promise<AggregateSummary[]> {
    return settled(() => listAggregates(this.db, options));
  }

  aggregateTypes(): Promise<string[]> {
    return settled(() => aggregateTypes(this.db));
  }

  stats(): Promise<LogStats> {
    return settled(() => logStats(this.db, this.file, this.headPositionSync()));
  }

  headPositionSync(): number {
    return this.head.get() as number;
  }

  headPosition(): Promise<number> {
    return settled(() => this.headPositionSync());
  }

  /** Changes whenever another connection commits to the file: cheap polling for "new events". */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  // ---------------------------------------------------------------- inspection (forwarder, verify, viewer)

  readRawBatchSync(afterPosition: number, limit: number): RawEventRow[] {
    return this.raw.sync(afterPosition, limit);
  }

  readRawBatch(afterPosition: number, limit: number): Promise<RawEventRow[]> {
    return settled(() => this.readRawBatchSync(afterPosition, limit));
  }

  corruptRows(page: { after?: number; limit: number }): Promise<CorruptRowPage> {
    return settled(() => this.corrupt.sync(page));
  }

  integrityCheck(): Promise<IntegrityReport> {
    return settled(() => integrityCheck(this.db, this.join));
  }

  checkSequences(): Promise<SequenceReport> {
    return settled(() => checkSequences(this.db));
  }

  snapshotKeys(): Promise<{ aggregateType: string; aggregateId: string }[]> {
    return settled(() => this.snapshots.keys());
  }

  /** When our store first created (or migrated) this file, as catalyst_meta recorded it; null on a seed file. */
  createdAtMeta(): string | null {
    if (!this.features.hasMeta) return null;
    const value = this.db.prepare("SELECT value FROM catalyst_meta WHERE key = 'created_at'").pluck().get();
    return typeof value === 'string' && value ? value : null;
  }

  // ---------------------------------------------------------------- snapshots

  loadSnapshot(aggregateType: string, aggregateId: string): Promise<Snapshot | null> {
    return settled(() => this.snapshots.load(aggregateType, aggregateId));
  }

  saveSnapshot(snapshot: SnapshotInput): void {
    this.writable('saveSnapshot');
    const created = snapshot.created_at ?? this.clock.now();
    this.snapshots.save(snapshot, this.ids.next(created), created);
  }

  // ---------------------------------------------------------------- checkpoints

  getCheckpoint(name: string): number | null {
    return this.checkpoints.get(name);
  }

  saveCheckpoint(name: string, position: number): void {
    this.writable('saveCheckpoint');
    this.checkpoints.save(name, position, this.clock.now());
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * The raw handle, for tests that poke at the file (pragmas, forbidden UPDATEs). No source
   * file uses it: what tools need is a method above.
   * @internal (left out of the published .d.ts: it would make users install @types/better-sqlite3)
   */
  get connection(): Database.Database {
    return this.db;
  }

  get schemaFeatures(): Readonly<SchemaFeatures> {
    return this.features;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readAhead?.close();
    this.walCheckpoints?.close();
    this.db.close();
  }

  /**
   * The reader thread long lean streams hand their later pages to, started by the first that
   * asks; none for a file in memory, or once this store is closed. It reads what this
   * connection opened (a private copy included).
   */
  private readerThread(): ReadAhead | null {
    if (this.readAhead !== undefined || this.closed) return this.readAhead ?? null;
    const file = this.db.name;
    if (inMemory(this.db)) return (this.readAhead = null);
    try {
      this.readAhead = new ReadAhead(file);
    } catch {
      this.readAhead = null; // no thread here (its entry is missing): read in this thread
    }
    return this.readAhead;
  }

  private writable(operation: string): AppendEvents {
    if (this.closed) throw new StoreOpenError(this.file, 'the store is closed');
    if (this.readOnly || !this.appender) throw new ReadOnlyStoreError(operation);
    return this.appender;
  }
}

/** A connection with no file of its own for a second connection (a thread's) to open. */
function inMemory(db: Database.Database): boolean {
  return db.memory || db.name === '' || db.name === ':memory:';
}
