/**
 * The aggregate read (whole, streamed, and lean for a rebuild) flags a row exactly as the row
 * mapper does for every other read (getEvent): one rule for what is corrupt, whatever the read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord, LeanEvent } from '../../../src-core';
import { isCorruptRow } from '../../../src-core/store/row-mapper';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';

/** [payload text, metadata text, corrupt field or null]. */
const ROWS: [string, string | null, 'payload' | 'metadata' | null][] = [
  ['{"a": 1}', '{"source": "x", "version": "1.0"}', null],
  ['{"a": 1}', null, null],
  ['{"a": 1}', '', null],
  ['{"a": 1}', '  {"source": "x"}  ', null],
  ['{"a": 1}', `{"deep": ${'['.repeat(2_000)}${']'.repeat(2_000)}}`, null],
  ['{not json', null, 'payload'],
  ['[1]', null, 'payload'],
  ['null', null, 'payload'],
  ['"text"', '{}', 'payload'],
  ['', null, 'payload'],
  ['{"a": 1}', 'null', 'metadata'],
  ['{"a": 1}', '[]', 'metadata'],
  ['{"a": 1}', '"1.0"', 'metadata'],
  ['{"a": 1}', '{"source": ', 'metadata'],
  ['{"a": 1}', '{"a": 1} trailing', 'metadata'],
];

let dir: ReturnType<typeof tempDir>;
let store: SqliteEventStore;
beforeEach(() => {
  dir = tempDir('aggregate-read-flags-');
  store = SqliteEventStore.open({ file: dir.file('events.db') });
  const insert = store.connection.prepare(
    `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
     VALUES (?, 'THING_HAPPENED', 'thing', 't-1', ?, ?, ?, ?)`,
  );
  ROWS.forEach(([payload, metadata], i) => insert.run(`row-${i + 1}`, payload, metadata, 1_000 + i, i + 1));
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

const flag = (r: EventRecord | LeanEvent): string | null => ('corrupt' in r ? r.field : null);

describe('aggregate reads flag rows as the row mapper does', () => {
  it('whole, streamed and lean reads agree with getEvent and isCorruptRow on every row', async () => {
    const expected = ROWS.map(([, , field]) => field);
    const byId = await Promise.all(ROWS.map(async (_, i) => (await store.getEvent(`row-${i + 1}`))!));
    expect(byId.map(flag)).toEqual(expected);
    expect(ROWS.map(([payload, metadata]) => isCorruptRow({ payload, metadata }))).toEqual(expected.map((f) => f !== null));
    const whole = store.readAggregateSync('thing', 't-1');
    expect(whole).toEqual(byId);
    expect([...store.streamAggregate('thing', 't-1')]).toEqual(byId);
    const lean = [...store.streamAggregate('thing', 't-1', undefined, { lean: true })];
    expect(lean.map(flag)).toEqual(expected);
    // Corrupt rows (and rows SQL could not vouch for) come whole; the rest without metadata and position.
    lean.forEach((record, i) => {
      const full = byId[i]!;
      if ('corrupt' in record || 'position' in record) expect(record).toEqual(full);
      else {
        const { position: _p, metadata: _m, ...rest } = full as Extract<EventRecord, { metadata: unknown }>;
        expect(record).toEqual(rest);
      }
    });
    // Read whole: the object after whitespace and the deep one (beyond SQLite's JSON depth),
    // which SQL does not vouch for, and the corrupt rows.
    expect(lean.map((r, i) => ('position' in r ? i + 1 : 0)).filter(Boolean)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });
});
