import { isCorruptEvent, type CorruptEvent, type EventReader, type LogInspector } from '../../src-core';
import type { CorruptPage } from '../shared/api';

/** Finds rows whose JSON does not parse, without parsing a million good rows in JavaScript. */
export interface CorruptRowFinder {
  page(after: number | undefined, limit: number): Promise<CorruptPage>;
}

/** The store's own corrupt-row page (SQLite shortlists in C; the row mapper confirms). */
export class SqliteCorruptRowFinder implements CorruptRowFinder {
  constructor(private readonly store: Pick<LogInspector, 'corruptRows'>) {}

  async page(after: number | undefined, limit: number): Promise<CorruptPage> {
    return this.store.corruptRows({ ...(after !== undefined ? { after } : {}), limit });
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
