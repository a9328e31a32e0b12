import type Database from 'better-sqlite3';
import type { CorruptEvent } from '../../src-core/events/types';
import { isCorruptEvent } from '../../src-core/events/types';
import type { EventReader } from '../../src-core/store/types';
import { maybeCorruptSql, toRecord, type EventRow } from '../../src-core/store/sqlite/row-mapper';
import type { CorruptPage } from '../shared/api';

/** Finds rows whose JSON does not parse, without parsing a million good rows in JavaScript. */
export interface CorruptRowFinder {
  page(after: number | undefined, limit: number): Promise<CorruptPage>;
}

/**
 * SQLite asks json_valid/json_type per row (in C), then the store's own row mapper confirms and
 * shapes each hit, so the flags match what every other read shows.
 */
export class SqliteCorruptRowFinder implements CorruptRowFinder {
  constructor(
    private readonly db: Database.Database,
    private readonly hasPositionTable: boolean,
  ) {}

  async page(after: number | undefined, limit: number): Promise<CorruptPage> {
    const pos = this.hasPositionTable ? 'p.position' : 'e.rowid';
    const from = this.hasPositionTable
      ? 'event_position p CROSS JOIN event_log e ON e.event_id = p.event_id'
      : 'event_log e';
    const rows = this.db
      .prepare(
        `SELECT ${pos} AS position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.metadata,
                e.created_at, e.sequence_number
         FROM ${from} WHERE ${pos} > ? AND (${maybeCorruptSql('e.')}) ORDER BY ${pos} LIMIT ?`,
      )
      .all(after ?? 0, limit + 1) as EventRow[];
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const records = kept.map(toRecord).filter(isCorruptEvent);
    return { records, next: more ? kept[kept.length - 1]!.position : null };
  }
}

/** Any other backend: walk the stream. Bounded by `scanLimit` rows per call so a call always returns. */
export class ScanningCorruptRowFinder implements CorruptRowFinder {
  constructor(
    private readonly reader: EventReader,
    private readonly scanLimit = 50_000,
  ) {}

  async page(after: number | undefined, limit: number): Promise<CorruptPage> {
    const found: CorruptEvent[] = [];
    let cursor = after;
    let scanned = 0;
    while (found.length < limit && scanned < this.scanLimit) {
      const page = await this.reader.readPage({}, { after: cursor, limit: 1000, direction: 'forward' });
      scanned += page.records.length;
      for (const record of page.records) {
        if (isCorruptEvent(record)) found.push(record);
        if (found.length === limit) return { records: found, next: record.position };
      }
      if (page.next === null) return { records: found, next: null };
      cursor = page.next;
    }
    return { records: found, next: cursor ?? null };
  }
}
