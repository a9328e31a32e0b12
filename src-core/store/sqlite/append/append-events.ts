import type Database from 'better-sqlite3';
import type { Clock } from '../../../clock/clock';
import { ConcurrencyError, StoreWriteError } from '../../../errors';
import type { UuidV7Generator } from '../../../events/ids';
import type { PreparedEvent, StoredEvent } from '../../../events/types';
import { BUSY_RETRIES, sqliteCode, withBusyRetries } from '../connection';
import type { PositionJoin } from '../positions';
import type { GetEvent } from '../read/get-event';
import { existingDuplicate } from './duplicate';
import { toInsertRow, type InsertRow } from './serialize';

const SEQ_CACHE_LIMIT = 100_000;

const key = (type: string, id: string): string => `${type}\u0000${id}`;

/**
 * Appends one event or a batch in one BEGIN IMMEDIATE transaction: the next sequence per
 * aggregate comes from a cache checked by the unique index (re-read from the file when a
 * writer expects a version, or when another process took the number), the position from
 * the position table's trigger.
 */
export class AppendEvents {
  /** Last sequence per aggregate as this process last saw it; the unique index catches staleness. */
  private readonly lastSeq = new Map<string, number>();
  private readonly maxSeq: Database.Statement;
  private readonly head: Database.Statement;
  private readonly insert: Database.Statement;
  /** One transaction function for the store's life (better-sqlite3 builds wrappers per call). */
  private readonly writeBatch: Database.Transaction<(batch: InsertRow[]) => StoredEvent[]>;

  constructor(
    db: Database.Database,
    join: PositionJoin,
    private readonly getEvent: GetEvent,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {
    this.maxSeq = db
      .prepare('SELECT COALESCE(MAX(sequence_number), 0) FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
      .pluck();
    this.head = db.prepare(join.headSql).pluck();
    this.insert = db.prepare(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((batch: InsertRow[]) => {
      let head = this.head.get() as number;
      const out: StoredEvent[] = [];
      for (const row of batch) {
        const stored = this.insertOne(row, head + 1);
        if (stored.position > head) head = stored.position;
        out.push(stored);
      }
      return out;
    });
  }

  append(events: readonly PreparedEvent[]): StoredEvent[] {
    if (events.length === 0) return [];
    const rows = events.map((e) => toInsertRow(e, this.clock, this.ids));
    try {
      return withBusyRetries(
        () => this.writeBatch.immediate(rows),
        // Sequences cached while the batch ran are not true after a rollback: forget them
        // (the next append re-reads the file).
        () => rows.forEach((r) => this.lastSeq.delete(key(r.aggregate_type, r.aggregate_id))),
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
    const k = key(row.aggregate_type, row.aggregate_id);
    for (let attempt = 0; attempt < 3; attempt++) {
      // With an expected version the truth must come from the file, not the cache.
      const current =
        row.expected_version !== undefined || attempt > 0
          ? this.version(row.aggregate_type, row.aggregate_id)
          : (this.lastSeq.get(k) ?? this.version(row.aggregate_type, row.aggregate_id));
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
        this.lastSeq.delete(k);
        continue;
      }
      if (this.lastSeq.size >= SEQ_CACHE_LIMIT) this.lastSeq.clear();
      this.lastSeq.set(k, sequence);
      return {
        position: nextPosition,
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
    throw new StoreWriteError(`could not allocate a sequence number for ${k.replace('\u0000', ':')}`, undefined);
  }
}
