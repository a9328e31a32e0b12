import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock/clock';
import { ConcurrencyError, StoreWriteError } from '../../../errors';
import type { UuidV7Generator } from '../../../events/ids';
import type { PreparedEvent, StoredEvent } from '../../../events/types';
import { BUSY_RETRIES, sqliteCode, withBusyRetries } from '../connection';
import type { PositionJoin } from '../positions';
import type { GetEvent } from '../read/get-event';
import type { WalCheckpoints } from '../wal/wal-checkpoints';
import { existingDuplicate } from './duplicate';
import { SequenceCache } from './sequence-cache';
import { toInsertRow, type InsertRow } from './serialize';

const SEQ_CACHE_LIMIT = 100_000;

/**
 * Rows per multi-row INSERT, largest first: a batch of 100 (or 1,000) is one statement (or
 * ten); 64 + 16 + 16 + 4 ran 3% slower per event for a batch of 100 (measured). One statement
 * per chunk instead of one per row: the per-statement cost (and the position trigger's frame
 * set-up, which SQLite pays per statement) dominates a small row, so this is most of what
 * our schema costs over the seed's bare table.
 */
const CHUNK_SIZES = [100, 25, 5, 1] as const;

const COLUMNS = '(event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)';

/**
 * Appends one event or a batch in one BEGIN IMMEDIATE transaction: the next sequence per
 * aggregate comes from a cache checked by the unique index (re-read from the file when a
 * writer expects a version, or when another process took the number), the position from
 * the position table's trigger.
 */
export class AppendEvents {
  /** Last sequence per aggregate as this process last saw it; the unique index catches staleness. */
  private readonly lastSeq = new SequenceCache(SEQ_CACHE_LIMIT);
  /** `version`, made once for the cache to call. */
  private readonly readVersion = (type: string, id: string): number => this.version(type, id);
  private readonly maxSeq: Database.Statement;
  private readonly head: Database.Statement;
  private readonly insert: Database.Statement;
  /** `PRAGMA data_version`: changes when another connection commits. */
  private readonly dataVersion: Database.Statement;
  /** data_version when lastSeq was last known to match the file. */
  private seenVersion: number | undefined;
  /** Multi-row INSERTs by row count (CHUNK_SIZES). */
  private readonly inserts: ReadonlyMap<number, Database.Statement>;
  /** One transaction function for the store's life (better-sqlite3 builds wrappers per call). */
  private readonly writeBatch: Database.Transaction<(batch: InsertRow[]) => StoredEvent[]>;

  constructor(
    db: Database.Database,
    join: PositionJoin,
    private readonly getEvent: GetEvent,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
    /** Told of each commit; null where SQLite's own checkpoints stay. */
    private readonly checkpoints: WalCheckpoints | null = null,
  ) {
    this.maxSeq = db
      .prepare('SELECT COALESCE(MAX(sequence_number), 0) FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
      .pluck();
    this.head = db.prepare(join.headSql).pluck();
    this.inserts = new Map(
      CHUNK_SIZES.map((n) => [
        n,
        db.prepare(`INSERT INTO event_log ${COLUMNS} VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`),
      ]),
    );
    this.insert = this.inserts.get(1)!;
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.writeBatch = db.transaction((batch: InsertRow[]) => {
      // Another connection (the emitter's writer thread, another process) committed since our
      // last write: the cached sequences may be behind. Re-read them instead of letting each
      // stale one fail an INSERT first (with two writers taking turns, that was every chunk).
      const version = this.dataVersion.get() as number;
      if (version !== this.seenVersion) {
        this.lastSeq.clear();
        this.seenVersion = version;
      }
      let head = this.head.get() as number;
      const out: StoredEvent[] = [];
      for (let i = 0; i < batch.length;) {
        const size = this.chunkAt(batch, i);
        if (size > 1 && this.insertChunk(batch, i, size, head + 1, out)) {
          head += size;
        } else {
          for (let j = i; j < i + size; j++) {
            const stored = this.insertOne(batch[j]!, head + 1);
            if (stored.position > head) head = stored.position;
            out.push(stored);
          }
        }
        i += size;
      }
      return out;
    });
  }

  /**
   * How many rows from `from` go in one multi-row INSERT: the largest chunk size that fits,
   * counting only rows without an expected version (those take the checked one-row path).
   */
  private chunkAt(batch: readonly InsertRow[], from: number): number {
    let plain = 0;
    while (from + plain < batch.length && plain < CHUNK_SIZES[0] && batch[from + plain]!.expected_version === undefined) plain++;
    return CHUNK_SIZES.find((n) => n <= plain) ?? 1;
  }

  /**
   * Inserts `size` rows in one statement, sequences from the cache. False (nothing written:
   * a failed statement is undone whole) when a constraint refused a row — a duplicate id,
   * a sequence another process took — so the caller retries these rows one by one, which
   * sorts each case out exactly as a single append does.
   */
  private insertChunk(batch: readonly InsertRow[], from: number, size: number, firstPosition: number, out: StoredEvent[]): boolean {
    const params = new Array<unknown>(size * 8);
    const sequences = new Array<number>(size);
    // Sequences go into the cache as they are given (a later row of the same aggregate takes
    // the next one); a chunk the database refuses forgets them again, and a failed
    // transaction forgets every row's (append's onFailure).
    for (let j = 0; j < size; j++) {
      const row = batch[from + j]!;
      const sequence = this.lastSeq.advance(row.aggregate_type, row.aggregate_id, this.readVersion);
      sequences[j] = sequence;
      const p = j * 8;
      params[p] = row.event_id;
      params[p + 1] = row.event_type;
      params[p + 2] = row.aggregate_type;
      params[p + 3] = row.aggregate_id;
      params[p + 4] = row.payloadJson;
      params[p + 5] = row.metadataJson;
      params[p + 6] = row.created_at;
      params[p + 7] = sequence;
    }
    try {
      this.inserts.get(size)!.run(params);
    } catch (error) {
      if (!sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT')) throw error;
      for (let j = from; j < from + size; j++) this.lastSeq.delete(batch[j]!.aggregate_type, batch[j]!.aggregate_id);
      return false;
    }
    for (let j = 0; j < size; j++) out.push(stored(batch[from + j]!, firstPosition + j, sequences[j]!));
    return true;
  }

  append(events: readonly PreparedEvent[]): StoredEvent[] {
    if (events.length === 0) return [];
    const rows = events.map((e) => toInsertRow(e, this.clock, this.ids));
    try {
      const stored = withBusyRetries(
        () => this.writeBatch.immediate(rows),
        // Sequences cached while the batch ran are not true after a rollback: forget them
        // (the next append re-reads the file).
        () => rows.forEach((r) => this.lastSeq.delete(r.aggregate_type, r.aggregate_id)),
      );
      this.checkpoints?.committed(rows.length);
      return stored;
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

  /** The aggregate's last sequence number, read from the file. */
  version(aggregateType: string, aggregateId: string): number {
    const last = this.maxSeq.get(aggregateType, aggregateId);
    // A foreign writer's '2a' or 2.5 has no next number: never write '2a1' or 3.5 after it.
    if (!Number.isSafeInteger(last)) {
      throw new StoreWriteError(
        `${aggregateType}:${aggregateId} holds a sequence number that is not an integer (${JSON.stringify(last)}), ` +
          'so its next one is unknown; fix that row (verify lists it) before appending to this aggregate',
        undefined,
      );
    }
    return last as number;
  }

  private insertOne(row: InsertRow, nextPosition: number): StoredEvent {
    const type = row.aggregate_type;
    const id = row.aggregate_id;
    for (let attempt = 0; attempt < 3; attempt++) {
      // With an expected version the truth must come from the file, not the cache.
      const current =
        row.expected_version !== undefined || attempt > 0 ? this.version(type, id) : (this.lastSeq.get(type, id) ?? this.version(type, id));
      if (row.expected_version !== undefined && current !== row.expected_version) {
        const existing = existingDuplicate(this.getEvent, row);
        if (existing) return existing;
        throw new ConcurrencyError(row.aggregate_type, row.aggregate_id, row.expected_version, current);
      }
      const sequence = current + 1;
      try {
        this.insert.run(
          row.event_id,
          row.event_type,
          row.aggregate_type,
          row.aggregate_id,
          row.payloadJson,
          row.metadataJson,
          row.created_at,
          sequence,
        );
      } catch (error) {
        if (!sqliteCode(error)?.startsWith('SQLITE_CONSTRAINT')) throw error;
        const existing = existingDuplicate(this.getEvent, row);
        if (existing) return existing;
        // Another process took this sequence: re-read and try again.
        this.lastSeq.delete(type, id);
        continue;
      }
      this.lastSeq.set(type, id, sequence);
      return stored(row, nextPosition, sequence);
    }
    throw new StoreWriteError(`could not allocate a sequence number for ${type}:${id}`, undefined);
  }
}

function stored(row: InsertRow, position: number, sequence: number): StoredEvent {
  return {
    position,
    event_id: row.event_id,
    event_type: row.event_type,
    aggregate_type: row.aggregate_type,
    aggregate_id: row.aggregate_id,
    sequence_number: sequence,
    created_at: row.created_at,
    payload: row.payload,
    metadata: row.metadata,
  };
}
