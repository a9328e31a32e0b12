/**
 * The SQLite store streams an aggregate in keyset chunks inside one read transaction: the
 * stream is exactly the whole read (every chunk boundary, every range bound), a corrupt row
 * on a boundary is still flagged, and a stream left early releases its transaction so the
 * same connection writes again at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { isCorruptEvent } from '../../../src-core';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

const COUNT = 2_600; // more than two chunks of 1,024

let store: SqliteEventStore;
let file: string;
beforeEach(() => {
  file = tempDir('stream-aggregate-').file('events.db');
  store = SqliteEventStore.open({ file });
  const events = [];
  for (let i = 0; i < COUNT; i++) {
    // another aggregate's rows interleaved, so a chunk never reads a contiguous stretch of the table
    events.push(prepared({ event_type: 'T', aggregate_type: 'acc', aggregate_id: 'a', payload: { i }, created_at: 1_000 + i }));
    events.push(prepared({ event_type: 'T', aggregate_type: 'acc', aggregate_id: 'b', payload: { i }, created_at: 1_000 + i }));
  }
  store.appendBatch(events);
});
afterEach(() => store.close());

describe('streamAggregate (SQLite)', () => {
  it('yields exactly what the whole read returns, across chunk boundaries and range bounds', () => {
    const ranges = [
      {},
      { fromSequence: 1024 },
      { fromSequence: 1000, toSequence: 2049 },
      { untilTime: 1_000 + 2047 },
      { toSequence: 1024 },
    ];
    for (const range of ranges) {
      const whole = store.readAggregateSync('acc', 'a', range);
      const streamed = [...store.streamAggregate('acc', 'a', range)];
      expect(streamed).toEqual(whole);
      expect(streamed.length).toBeGreaterThan(0);
    }
    const all = [...store.streamAggregate('acc', 'a')];
    expect(all.map((e) => e.sequence_number)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(all.every((e) => !isCorruptEvent(e) && e.aggregate_id === 'a')).toBe(true);
  });

  it('flags a corrupt row that falls on a chunk boundary and carries on after it', () => {
    const db = store.connection;
    const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event_log'").all() as {
      name: string;
      sql: string;
    }[];
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
    db.prepare("UPDATE event_log SET payload = '{not json' WHERE aggregate_id = 'a' AND sequence_number = 1024").run();
    for (const t of triggers) db.exec(t.sql);
    const streamed = [...store.streamAggregate('acc', 'a')];
    expect(streamed).toHaveLength(COUNT);
    const corrupt = streamed.filter(isCorruptEvent);
    expect(corrupt.map((e) => e.sequence_number)).toEqual([1024]);
    expect(streamed[1024]!.sequence_number).toBe(1025);
  });

  it('a stream left early ends its read transaction: the connection writes at once', () => {
    let seen = 0;
    for (const event of store.streamAggregate('acc', 'a')) {
      seen = event.sequence_number ?? 0;
      if (seen === 1500) break;
    }
    expect(seen).toBe(1500);
    expect(store.connection.inTransaction).toBe(false);
    const [written] = store.appendBatch([prepared({ event_type: 'T', aggregate_type: 'acc', aggregate_id: 'a', payload: { i: -1 } })]);
    expect(written!.sequence_number).toBe(COUNT + 1);
    // and a second connection sees it: nothing was left uncommitted
    const other = SqliteEventStore.open({ file, readOnly: true });
    try {
      expect(other.readAggregateSync('acc', 'a', { fromSequence: COUNT + 1 })).toHaveLength(1);
    } finally {
      other.close();
    }
  });
});
