import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isConcurrencyError,
  isDuplicateEventError,
  isReadOnlyStoreError,
  isSchemaVersionError,
  isStoreOpenError,
  isValidationError,
  isCorruptEvent,
  ManualClock,
  type StoredEvent,
} from '../../../src-core';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';
import { describeEventReaderContract } from './reader-contract';

describeEventReaderContract('SQLite', (events) => {
  const tmp = tempDir();
  const writer = SqliteEventStore.open({ file: tmp.file('events.db') });
  for (const e of events) writer.append(prepared(e));
  writer.close();
  const reader = SqliteEventStore.open({ file: tmp.file('events.db'), readOnly: true });
  return Promise.resolve({ reader, cleanup: () => (reader.close(), tmp.cleanup()) });
});

const ev = (aggregate_id: string, n: number, extra: Record<string, unknown> = {}) =>
  prepared({ event_type: 'THING_HAPPENED', aggregate_type: 'thing', aggregate_id, payload: { n, ...extra } }, 1_700_000_000_000);

describe('SqliteEventStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  beforeEach(() => {
    tmp = tempDir();
    store = SqliteEventStore.open({ file: tmp.file('events.db'), clock: new ManualClock(1_700_000_000_000) });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it("creates the seed's tables and indexes exactly, plus our additions", () => {
    const db = store.connection;
    const sql = (name: string) =>
      (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string).replace(/\s+/g, ' ');
    expect(sql('event_log')).toContain(
      'event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER, UNIQUE(aggregate_type, aggregate_id, sequence_number)',
    );
    for (const index of ['idx_event_log_created_at', 'idx_event_log_type', 'idx_event_log_correlation']) {
      expect(sql(index)).toContain('CREATE INDEX');
    }
    // The seed's (aggregate_type, aggregate_id) index is a prefix of its unique index: left out.
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'idx_event_log_aggregate'").pluck().get()).toBe(0);
    expect(sql('event_snapshots')).toContain('UNIQUE(aggregate_type, aggregate_id)');
    for (const t of ['catalyst_meta', 'event_position', 'subscription_checkpoints']) expect(sql(t)).toContain('CREATE TABLE');
    expect(db.prepare("SELECT value FROM catalyst_meta WHERE key='schema_version'").pluck().get()).toBe('3');
    // One B-tree per thing an append must find: positions keyed by integers, the event id
    // only in the seed's primary key, the correlation index only over correlated rows.
    expect(sql('event_position')).toContain('position INTEGER PRIMARY KEY, log_rowid INTEGER NOT NULL');
    const positionIndexes = db.prepare("SELECT name FROM pragma_index_list('event_position')").pluck().all();
    expect(positionIndexes).toEqual(['idx_event_position_log_rowid']);
    expect(db.prepare("SELECT name FROM pragma_index_info('idx_event_position_log_rowid')").pluck().all()).toEqual(['log_rowid']);
    expect(sql('idx_event_log_correlation')).toMatch(/WHERE .*IS NOT NULL/);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // our file does not carry a second, redundant sequence index
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name='ux_event_log_aggregate_sequence'").pluck().get()).toBe(0);
  });

  it('assigns gap-free sequences per aggregate and increasing global positions', () => {
    const stored = [ev('a', 1), ev('b', 1), ev('a', 2), ev('a', 3), ev('b', 2)].map((e) => store.append(e));
    expect(stored.map((s) => [s.aggregate_id, s.sequence_number])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['a', 3],
      ['b', 2],
    ]);
    expect(stored.map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0]!.created_at).toBe(1_700_000_000_000);
    expect(stored[0]!.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(stored[0]!.metadata).toEqual({ source: 'test', correlation_id: null, causation_id: null, user_id: null, version: '1.0' });
  });

  it('writes the metadata it is given, adding no defaults of its own (the emitter completes it)', () => {
    const given = { source: 'bot-7', correlation_id: 'c-1', causation_id: null, user_id: 'u', version: '2.0', run_id: 'r9' };
    const stored = store.append({ ...ev('a', 1), metadata: given });
    const raw = store.connection.prepare('SELECT metadata FROM event_log WHERE event_id = ?').pluck().get(stored.event_id);
    expect(JSON.parse(raw as string)).toEqual(given);
    // An untyped caller (a script) that gives none: NULL, as the seed's own rows may be, read back in the seed's shape.
    const bare = store.append({ event_type: 'THING_HAPPENED', aggregate_type: 'thing', aggregate_id: 'b', payload: {} } as never);
    expect(store.connection.prepare('SELECT metadata FROM event_log WHERE event_id = ?').pluck().get(bare.event_id)).toBeNull();
    expect(bare.metadata).toEqual({ source: 'unknown', correlation_id: null, causation_id: null, user_id: null, version: '1.0' });
    expect(store.readAggregateSync('thing', 'b')[0]).toEqual(bare);
  });

  it('makes event_log append-only: UPDATE and DELETE abort with a message that says so', () => {
    store.append(ev('a', 1));
    expect(() => store.connection.prepare("UPDATE event_log SET payload = '{}'").run()).toThrow(/append-only: UPDATE is not allowed/);
    expect(() => store.connection.prepare('DELETE FROM event_log').run()).toThrow(/append-only: DELETE is not allowed/);
    expect(() => store.connection.prepare('DELETE FROM event_position').run()).toThrow(/append-only/);
  });

  it('is idempotent on event_id, and refuses the same id with other content', () => {
    const first = store.append({ ...ev('a', 1), event_id: '0190a000-0000-7000-8000-000000000001' });
    const again = store.append({ ...ev('a', 1), event_id: '0190a000-0000-7000-8000-000000000001' });
    expect(again.event_id).toBe(first.event_id);
    expect(again.sequence_number).toBe(1);
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(1);
    let error: unknown;
    try {
      store.append({ ...ev('a', 2), event_id: '0190a000-0000-7000-8000-000000000001' });
    } catch (e) {
      error = e;
    }
    expect(isDuplicateEventError(error)).toBe(true);
    expect(String(error)).toMatch(/payload differ/);
  });

  it('checks an expected version and reports aggregate, expected and actual', () => {
    store.append({ ...ev('a', 1), expected_version: 0 });
    store.append({ ...ev('a', 2), expected_version: 1 });
    let error: unknown;
    try {
      store.append({ ...ev('a', 3), expected_version: 1 });
    } catch (e) {
      error = e;
    }
    expect(isConcurrencyError(error)).toBe(true);
    expect(error).toMatchObject({ aggregateType: 'thing', aggregateId: 'a', expectedVersion: 1, actualVersion: 2 });
    expect(store.aggregateVersionSync('thing', 'a')).toBe(2);
  });

  it('appends a batch all or nothing', () => {
    store.append(ev('a', 1));
    expect(() => store.appendBatch([ev('b', 1), ev('c', 1), { ...ev('a', 2), expected_version: 7 }])).toThrow();
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(1);
    // and the sequence cache was not advanced by the rolled-back batch
    expect(store.append(ev('b', 1)).sequence_number).toBe(1);
    const batch = store.appendBatch([ev('a', 2), ev('a', 3)]);
    expect(batch.map((e) => e.sequence_number)).toEqual([2, 3]);
  });

  it('rejects events JSON cannot carry and required fields that are missing, writing nothing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      { ...ev('a', 1), payload: cyclic },
      { ...ev('a', 1), payload: { n: 10n } },
      { ...ev('a', 1), aggregate_id: '' },
    ]) {
      expect(() => store.append(bad as never)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get()).toBe(0);
  });

  it('re-reads the real version when another connection appended (stale cache)', () => {
    store.append(ev('a', 1));
    const other = SqliteEventStore.open({ file: tmp.file('events.db') });
    other.append(ev('a', 2));
    other.close();
    expect(store.append(ev('a', 3)).sequence_number).toBe(3);
  });

  it('opens a file already at this schema without the write lock (writers starting together never fail on it)', () => {
    store.append(ev('a', 1));
    const holder = new Database(tmp.file('events.db'));
    holder.prepare('BEGIN IMMEDIATE').run(); // another process mid-write
    try {
      const second = SqliteEventStore.open({ file: tmp.file('events.db'), busyTimeoutMs: 0 });
      expect(second.readAggregateSync('thing', 'a')).toHaveLength(1);
      expect(() => second.append(ev('a', 2))).toThrow(expect.objectContaining({ code: 'STORE_WRITE', sqliteCode: 'SQLITE_BUSY' }));
      second.close();
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });

  it('keeps global positions across VACUUM', () => {
    for (let i = 0; i < 50; i++) store.append(ev(`agg-${i % 7}`, i, { pad: 'x'.repeat(i * 10) }));
    const before = store.readPageSync({}, { limit: 100 }).records.map((r) => [r.position, r.event_id]);
    store.connection.exec('VACUUM');
    const after = store.readPageSync({}, { limit: 100 }).records.map((r) => [r.position, r.event_id]);
    expect(after).toEqual(before);
  });

  it('returns a row with corrupt JSON as a corrupt record and keeps reading the others', () => {
    store.append(ev('a', 1));
    store.connection.prepare("INSERT INTO event_log VALUES ('bad-1', 'THING_HAPPENED', 'thing', 'a', '{not json', '{}', 1, 2)").run();
    store.connection.prepare("INSERT INTO event_log VALUES ('bad-2', 'THING_HAPPENED', 'thing', 'a', '{}', '[oops', 2, 3)").run();
    store.append(ev('a', 4));
    const records = store.readAggregateSync('thing', 'a');
    expect(records).toHaveLength(4);
    const corrupt = records.filter(isCorruptEvent);
    expect(corrupt.map((c) => [c.event_id, c.field])).toEqual([
      ['bad-1', 'payload'],
      ['bad-2', 'metadata'],
    ]);
    expect(corrupt[0]!.raw_payload).toBe('{not json');
    expect(corrupt[0]!.error).toMatch(/JSON/);
    expect((records[3] as StoredEvent).payload.n).toBe(4);
    return store.stats().then((s) => expect(s.corrupt).toBe(2));
  });

  it('saves one snapshot per aggregate with its reducer version, and checkpoints', async () => {
    const e = store.append(ev('a', 1));
    store.saveSnapshot({
      aggregate_type: 'thing',
      aggregate_id: 'a',
      state: { n: 1 },
      reducer_version: 3,
      last_event_id: e.event_id,
      last_sequence_number: 1,
    });
    store.saveSnapshot({
      aggregate_type: 'thing',
      aggregate_id: 'a',
      state: { n: 2 },
      reducer_version: 4,
      last_event_id: e.event_id,
      last_sequence_number: 1,
    });
    expect(await store.loadSnapshot('thing', 'a')).toMatchObject({ state: { n: 2 }, reducer_version: 4, last_sequence_number: 1 });
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_snapshots').pluck().get()).toBe(1);
    expect(store.getCheckpoint('projector')).toBeNull();
    store.saveCheckpoint('projector', 42);
    expect(store.getCheckpoint('projector')).toBe(42);
  });
});

describe('SqliteEventStore opened read-only', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('never writes: the file stays byte-identical and writes are refused', async () => {
    const file = tmp.file('events.db');
    const w = SqliteEventStore.open({ file });
    w.append(ev('a', 1));
    w.connection.pragma('wal_checkpoint(TRUNCATE)');
    w.close();
    const bytes = readFileSync(file);
    const r = SqliteEventStore.open({ file, readOnly: true });
    expect(r.readAggregateSync('thing', 'a')).toHaveLength(1);
    expect(() => r.append(ev('a', 2))).toThrow(expect.objectContaining({ code: 'READ_ONLY' }));
    expect(() =>
      r.saveSnapshot({
        aggregate_type: 'thing',
        aggregate_id: 'a',
        state: {},
        reducer_version: 1,
        last_event_id: 'x',
        last_sequence_number: 1,
      }),
    ).toThrow();
    let raw: unknown;
    try {
      r.connection.prepare("INSERT INTO catalyst_meta VALUES ('x','y')").run();
    } catch (e) {
      raw = e;
    }
    expect(String(raw)).toMatch(/readonly|read-only|query_only/i);
    await r.stats();
    r.close();
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(isReadOnlyStoreError(new Error())).toBe(false);
  });

  it('refuses a newer schema version with SchemaVersionError', () => {
    const file = tmp.file('events.db');
    const w = SqliteEventStore.open({ file });
    w.connection.prepare("UPDATE catalyst_meta SET value = '99' WHERE key = 'schema_version'").run();
    w.close();
    for (const readOnly of [true, false]) {
      let error: unknown;
      try {
        SqliteEventStore.open({ file, readOnly });
      } catch (e) {
        error = e;
      }
      expect(isSchemaVersionError(error)).toBe(true);
      expect(String(error)).toMatch(/schema version 99.*supports up to 3/);
    }
  });

  it('fails clearly on a missing file, a non-SQLite file and a SQLite file with no event log', () => {
    const notDb = tmp.file('notes.txt');
    writeFileSync(notDb, 'hello, this is not a database'.repeat(100));
    const empty = tmp.file('other.db');
    new Database(empty).exec('CREATE TABLE t (x)');
    const cases: [string, RegExp][] = [
      [tmp.file('missing.db'), /cannot open .*missing\.db/],
      [notDb, /not a SQLite database|file is not a database/],
      [empty, /no event_log table/],
    ];
    for (const [file, message] of cases) {
      let error: unknown;
      try {
        SqliteEventStore.open({ file, readOnly: true });
      } catch (e) {
        error = e;
      }
      expect(isStoreOpenError(error), String(error)).toBe(true);
      expect(String(error)).toMatch(message);
    }
    expect(existsSync(tmp.file('missing.db'))).toBe(false);
    expect(isValidationError(null)).toBe(false);
  });
});
