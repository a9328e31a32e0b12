import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { preparedAll } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

/** The seed's EventStore._init_schema table: no UNIQUE on sequences, so a racing bot can duplicate them. */
const SEED_INIT_SCHEMA = `CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER)`;

describe('SQLite store inspection (what verify, the forwarder and the viewer use)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('catalyst-inspect-');
  });
  afterEach(() => tmp.cleanup());

  it('checkSequences streams one ordered scan: gaps, duplicates with their ids, unnumbered rows, per aggregate', async () => {
    const file = tmp.file('seed.db');
    const db = new Database(file);
    db.exec(SEED_INIT_SCHEMA);
    const insert = db.prepare("INSERT INTO event_log VALUES (?, 'E', ?, ?, '{}', NULL, ?, ?)");
    const rows: [string, string, string, number | null][] = [
      ['a-1', 'order', 'a', 1],
      ['a-1b', 'order', 'a', 1],
      ['a-3', 'order', 'a', 3],
      ['a-4', 'order', 'a', 4],
      ['a-4b', 'order', 'a', 4],
      ['a-4c', 'order', 'a', 4],
      ['b-n', 'order', 'b', null],
      ['b-0', 'order', 'b', 0],
      ['b-1', 'order', 'b', 1],
      ['c-2', 'position', 'c', 2],
      ['c-9', 'position', 'c', 9],
      ['d-1', 'signal', 'd', 1],
      ['d-2', 'signal', 'd', 2],
    ];
    rows.forEach(([id, type, agg, seq], i) => insert.run(id, type, agg, i, seq));
    db.close();
    const store = SqliteEventStore.open({ file, readOnly: true });
    const report = await store.checkSequences();
    store.close();
    expect(report.aggregates).toBe(4);
    expect(report.problems).toEqual([
      { aggregate_type: 'order', aggregate_id: 'a', kind: 'gap', detail: 'missing 2', missing: { from: 2, to: 2 }, event_ids: [] },
      { aggregate_type: 'order', aggregate_id: 'a', kind: 'duplicate', detail: '1 appears 2 times', event_ids: ['a-1', 'a-1b'] },
      { aggregate_type: 'order', aggregate_id: 'a', kind: 'duplicate', detail: '4 appears 3 times', event_ids: ['a-4', 'a-4b', 'a-4c'] },
      {
        aggregate_type: 'order',
        aggregate_id: 'b',
        kind: 'no_sequence',
        detail: '2 event(s) without a sequence number',
        event_ids: ['b-n', 'b-0'],
      },
      { aggregate_type: 'position', aggregate_id: 'c', kind: 'gap', detail: 'missing 1', missing: { from: 1, to: 1 }, event_ids: [] },
      { aggregate_type: 'position', aggregate_id: 'c', kind: 'gap', detail: 'missing 3..8', missing: { from: 3, to: 8 }, event_ids: [] },
    ]);
  });

  it('corruptRows pages the rows reads flag, by position, with the field and error', async () => {
    const file = tmp.file('events.db');
    const store = SqliteEventStore.open({ file });
    const good = (n: number) => ({ event_type: 'E', aggregate_type: 't', aggregate_id: 'x', payload: { n } });
    store.appendBatch(preparedAll([good(1), good(2)]));
    const raw = new Database(file);
    const insert = raw.prepare("INSERT INTO event_log VALUES (?, 'E', 't', 'y', ?, ?, 1, ?)");
    insert.run('bad-payload', '{oops', null, 1);
    insert.run('bad-meta', '{}', '[1', 2);
    insert.run('array', '[1]', '{}', 3);
    insert.run('deep-but-fine', '{"a":{"b":[1,2,{"c":null}]}}', '', 4);
    raw.close();
    store.appendBatch(preparedAll([good(3)]));
    const first = await store.corruptRows({ limit: 2 });
    expect(first.records.map((r) => [r.event_id, r.field, r.position])).toEqual([
      ['bad-payload', 'payload', 3],
      ['bad-meta', 'metadata', 4],
    ]);
    expect(first.next).toBe(4);
    const second = await store.corruptRows({ after: first.next!, limit: 2 });
    expect(second).toMatchObject({ next: null });
    expect(second.records.map((r) => r.event_id)).toEqual(['array']);
    expect((await store.stats()).corrupt).toBe(3);
    const batch = store.readRawBatchSync(2, 10);
    expect(batch.map((r) => [r.event_id, r.json_ok, r.payload])).toEqual([
      ['bad-payload', 0, '{oops'],
      ['bad-meta', 0, '{}'],
      ['array', 0, '[1]'],
      ['deep-but-fine', 1, '{"a":{"b":[1,2,{"c":null}]}}'],
      [expect.any(String), 1, '{"n":3}'],
    ]);
    store.close();
  });

  it('integrityCheck adds the position links to quick_check: a row without a position is a problem', async () => {
    const file = tmp.file('events.db');
    const store = SqliteEventStore.open({ file });
    store.appendBatch(preparedAll([{ event_type: 'E', aggregate_type: 't', aggregate_id: 'x', payload: {} }]));
    expect(await store.integrityCheck()).toEqual({ check: 'SQLite quick_check', ok: true, lines: ['ok'] });
    const raw = new Database(file);
    raw.exec('DROP TRIGGER trg_event_log_position');
    raw.prepare("INSERT INTO event_log VALUES ('orphan', 'E', 't', 'x', '{}', NULL, 1, 2)").run();
    raw.close();
    expect(await store.integrityCheck()).toEqual({
      check: 'SQLite quick_check',
      ok: false,
      lines: ['1 event_log row(s) without a global position'],
    });
    store.close();
  });
});
