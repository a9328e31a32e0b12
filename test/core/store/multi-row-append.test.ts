import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isDuplicateEventError, ManualClock, type PreparedEvent, type StoredEvent } from '../../../src-core';
import { AppendEvents } from '../../../src-core/store/sqlite/append/append-events';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

const T0 = 1_700_000_000_000;
const ev = (aggregate_id: string, n: number, extra: Partial<PreparedEvent> = {}): PreparedEvent => ({
  ...prepared({ event_type: 'THING_HAPPENED', aggregate_type: 'thing', aggregate_id, payload: { n } }, T0 + n),
  ...extra,
});

/** Every row as the file holds it, in position order. */
function rows(file: string): { position: number; event_id: string; aggregate_id: string; sequence_number: number; payload: string }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.position, e.event_id, e.aggregate_id, e.sequence_number, e.payload
           FROM event_position p JOIN event_log e ON e.rowid = p.log_rowid ORDER BY p.position`,
      )
      .all() as never;
  } finally {
    db.close();
  }
}

/** What a receipt says, to compare with the file. */
const said = (s: StoredEvent) => ({
  position: s.position,
  event_id: s.event_id,
  aggregate_id: s.aggregate_id,
  sequence_number: s.sequence_number,
});

// A batch is written in multi-row INSERTs (100, 25, 5 and 1 rows); these cases cross each
// chunk boundary and every reason a chunk falls back to one row at a time.
describe('batched appends (multi-row INSERTs)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    tmp = tempDir();
    file = tmp.file('events.db');
    store = SqliteEventStore.open({ file, clock: new ManualClock(T0) });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('a batch of 101 events over 7 aggregates: positions, sequences and receipts are what the file holds', () => {
    store.append(ev('a', 0)); // an aggregate with history before the batch
    const batch = Array.from({ length: 101 }, (_, i) => ev(['a', 'b', 'c', 'd', 'e', 'f', 'g'][i % 7]!, i + 1));
    const stored = store.appendBatch(batch);
    expect(stored.map((s) => s.event_id)).toEqual(batch.map((e) => e.event_id));
    const file_ = rows(file);
    expect(file_).toHaveLength(102);
    expect(stored.map(said)).toEqual(file_.slice(1).map(({ payload: _, ...r }) => r));
    expect(file_.map((r) => r.position)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    // Each aggregate's sequence runs 1, 2, 3… in batch order; 'a' goes on from its first event.
    const seqs = new Map<string, number[]>();
    for (const r of file_) seqs.set(r.aggregate_id, [...(seqs.get(r.aggregate_id) ?? []), r.sequence_number]);
    for (const [id, s] of seqs) expect(s, id).toEqual(Array.from({ length: s.length }, (_, i) => i + 1));
    expect(seqs.get('a')).toHaveLength(16);
  });

  it('an expected version in the middle of a batch is checked on its own and the rest still go in chunks', () => {
    store.appendBatch([ev('x', 1), ev('x', 2)]);
    const batch = [
      ...Array.from({ length: 40 }, (_, i) => ev(`m${i % 5}`, 10 + i)),
      ev('x', 3, { expected_version: 2 }),
      ...Array.from({ length: 30 }, (_, i) => ev(`m${i % 5}`, 60 + i)),
    ];
    const stored = store.appendBatch(batch);
    expect(stored[40]).toMatchObject({ aggregate_id: 'x', sequence_number: 3, position: 43 });
    expect(stored.map((s) => s.position)).toEqual(Array.from({ length: 71 }, (_, i) => i + 3));
    // A stale expected version in a batch fails the whole batch: nothing of it is written.
    expect(() =>
      store.appendBatch([...Array.from({ length: 20 }, (_, i) => ev('y', 200 + i)), ev('x', 4, { expected_version: 2 })]),
    ).toThrow(/thing:x is at version 3, expected 2/);
    expect(rows(file)).toHaveLength(73);
  });

  it('a duplicate id inside a chunk: its chunk falls back to single rows, the duplicate is answered by the stored event', () => {
    const first = store.append(ev('d', 1));
    const batch = Array.from({ length: 70 }, (_, i) => ev('d', 2 + i));
    batch[50] = { ...ev('d', 1), event_id: first.event_id }; // the same event again, as an at-least-once retry sends it
    const stored = store.appendBatch(batch);
    expect(stored[50]).toEqual(first);
    const file_ = rows(file);
    expect(file_).toHaveLength(70); // 1 + 69 new
    expect(file_.map((r) => r.sequence_number)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(stored.filter((_, i) => i !== 50).map((s) => s.sequence_number)).toEqual(Array.from({ length: 69 }, (_, i) => i + 2));
    // The same id with other content is refused, and the batch with it writes nothing.
    const clash = Array.from({ length: 64 }, (_, i) => ev('z', 500 + i));
    clash[63] = { ...ev('z', 999), event_id: first.event_id };
    let error: unknown;
    try {
      store.appendBatch(clash);
    } catch (e) {
      error = e;
    }
    expect(isDuplicateEventError(error)).toBe(true);
    expect(rows(file)).toHaveLength(70);
  });

  it('a sequence another process took meanwhile: the chunk is retried row by row from what the file holds', () => {
    store.appendBatch(Array.from({ length: 5 }, (_, i) => ev('s', i + 1))); // cached: s is at 5
    const other = SqliteEventStore.open({ file });
    other.appendBatch([ev('s', 6), ev('s', 7)]); // the file moves on to 7 behind our cache
    other.close();
    const stored = store.appendBatch(Array.from({ length: 64 }, (_, i) => ev(i % 2 ? 's' : 't', 100 + i)));
    expect(stored.filter((s) => s.aggregate_id === 's').map((s) => s.sequence_number)).toEqual(Array.from({ length: 32 }, (_, i) => i + 8));
    expect(stored.filter((s) => s.aggregate_id === 't').map((s) => s.sequence_number)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    const file_ = rows(file);
    expect(file_.map((r) => r.position)).toEqual(Array.from({ length: 71 }, (_, i) => i + 1));
    expect(stored.map(said)).toEqual(file_.slice(7).map(({ payload: _, ...r }) => r));
  });

  it('two connections taking turns: each re-reads sequences the other moved when its transaction starts, with no failed INSERT', () => {
    const other = SqliteEventStore.open({ file });
    // insertOne is the row-by-row path a refused chunk falls back to.
    const oneByOne = vi.spyOn(AppendEvents.prototype as unknown as { insertOne: () => unknown }, 'insertOne');
    try {
      for (let turn = 0; turn < 6; turn++) {
        const writer = turn % 2 === 0 ? store : other;
        writer.appendBatch(Array.from({ length: 100 }, (_, i) => ev(`agg${i % 10}`, turn * 100 + i)));
      }
      expect(oneByOne).not.toHaveBeenCalled();
    } finally {
      oneByOne.mockRestore();
      other.close();
    }
    const seqs = new Map<string, number[]>();
    for (const r of rows(file)) seqs.set(r.aggregate_id, [...(seqs.get(r.aggregate_id) ?? []), r.sequence_number]);
    for (const [id, s] of seqs) expect(s, id).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});
