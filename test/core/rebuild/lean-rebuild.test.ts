/**
 * A reducer that declares `leanEvents` is rebuilt from lean rows (no metadata, no position
 * read): the result must be exactly the whole-row rebuild's, on a real SQLite file with what
 * a long log holds — corrupt rows of every kind, a sequence gap, NULL and '' metadata,
 * events written under an old schema version (upcast), and more rows than one read chunk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { AggregateProjection, AggregateRange, LeanEvent, ReducerDefinition, StoredEvent } from '../../../src-core';
import { ManualClock } from '../../../src-core/clock/clock';
import { prepareEvent } from '../../../src-core/emitter/prepare';
import { Rebuilder } from '../../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';

interface Tally {
  total: number;
  count: number;
  lastAt: number | null;
  /** What the reducer saw of each event: whether metadata / position were there, and the version it read. */
  seen: string[];
  anomalies: string[];
}

const TYPE = 'tally';

/** A pure fold that records what it was handed, so the two reads can be compared event by event. */
function tallyReducer(leanEvents: boolean): ReducerDefinition<Tally> {
  return {
    aggregateType: TYPE,
    version: 1,
    leanEvents,
    initialState: () => ({ total: 0, count: 0, lastAt: null, seen: [], anomalies: [] }),
    reduce: tally,
  };
}

function tally(state: Tally, event: LeanEvent): Tally {
  const amount = event.payload.amount;
  if (typeof amount !== 'number') return { ...state, anomalies: [...state.anomalies, `${event.event_id}: no amount`] };
  return {
    ...state,
    total: state.total + amount,
    count: state.count + 1,
    lastAt: event.created_at,
    seen: [...state.seen, `${event.sequence_number}:${event.event_type}`],
  };
}

function schemas(): SchemaRegistry {
  const registry = new SchemaRegistry();
  registry.register({ eventType: 'TALLIED', aggregateType: TYPE, version: '1.0', payload: z.looseObject({ amount: z.number() }) }, 'test');
  registry.register(
    {
      eventType: 'TALLIED_CENTS',
      aggregateType: TYPE,
      version: '2.0',
      payload: z.looseObject({ amount: z.number() }),
      // 1.0 stored cents; 2.0 stores units.
      upcasters: [{ fromVersion: '1.0', toVersion: '2.0', up: (p) => ({ amount: Number(p.cents) / 100 }) }],
    },
    'test',
  );
  return registry;
}

let dir: ReturnType<typeof tempDir>;
let store: SqliteEventStore;
let raw: Database.Database;
beforeEach(() => {
  dir = tempDir('lean-rebuild-');
  store = SqliteEventStore.open({ file: dir.file('events.db') });
  raw = new Database(dir.file('events.db'));
});
afterEach(() => {
  raw.close();
  store.close();
  dir.cleanup();
});

function append(id: string, count: number, t0 = 1_000): void {
  const events = Array.from({ length: count }, (_, i) =>
    prepareEvent({ event_type: 'TALLIED', aggregate_type: TYPE, aggregate_id: id, payload: { amount: (i % 5) + 1 }, created_at: t0 + i }),
  );
  for (let i = 0; i < events.length; i += 1_000) store.appendBatch(events.slice(i, i + 1_000));
}

/** A row as another writer (the seed, an editor) may leave it: the store's own checks bypassed. */
function insertRaw(
  id: string,
  seq: number,
  payload: string,
  metadata: string | null,
  type = 'TALLIED',
  createdAt: unknown = 500_000 + seq,
): void {
  raw
    .prepare(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(`raw-${id}-${seq}`, type, TYPE, id, payload, metadata, createdAt, seq);
}

function rebuilderFor(leanEvents: boolean, reader: SqliteEventStore = store, upcasts: SchemaRegistry | undefined = schemas()): Rebuilder {
  const reducers = new ReducerRegistry();
  reducers.register(tallyReducer(leanEvents), 'test');
  return new Rebuilder(reader, store, reducers, upcasts, { snapshots: { every: 0 } }, new ManualClock(0));
}

/** The store with the projection each stream was asked for recorded (and optionally dropped). */
function watched(options: { ignoreProjection?: boolean } = {}): {
  reader: SqliteEventStore;
  projections: (AggregateProjection | undefined)[];
} {
  const projections: (AggregateProjection | undefined)[] = [];
  const reader = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'streamAggregate') {
        return (type: string, id: string, range?: AggregateRange, projection?: AggregateProjection) => {
          projections.push(projection);
          return options.ignoreProjection || projection === undefined
            ? target.streamAggregate(type, id, range)
            : target.streamAggregate(type, id, range, projection);
        };
      }
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  return { reader, projections };
}

/** Every kind of row a long log may hold, 3,000 rows in all (three read chunks). */
function messyHistory(id: string): void {
  append(id, 1_020);
  // Corrupt rows straddling the first chunk boundary (1,024).
  insertRaw(id, 1_021, '{not json', null);
  insertRaw(id, 1_022, '[1, 2]', null);
  insertRaw(id, 1_023, '{"amount": 1}', 'null');
  insertRaw(id, 1_024, '{"amount": 1}', '{"source": ');
  insertRaw(id, 1_025, '{"amount": 1}', '[]');
  // Clean: NULL and '' metadata (the seed's empty shape); metadata nested deeper than SQLite's
  // JSON parser goes (its check cannot vouch for it, JSON.parse reads it: the row mapper decides).
  insertRaw(id, 1_026, '{"amount": 7}', null);
  insertRaw(id, 1_027, '{"amount": 7}', '');
  insertRaw(id, 1_028, '{"amount": 7}', `{"source": "editor", "deep": ${'['.repeat(3_000)}${']'.repeat(3_000)}}`);
  // A hole: 1,029 and 1,030 never written.
  insertRaw(id, 1_031, '{"amount": 2}', '{"source": "seed", "version": "1.0"}');
  // Written under the old schema (cents), under the new one, without any version (the seed's 1.0), corrupt metadata.
  insertRaw(id, 1_032, '{"cents": 250}', '{"source": "old-bot", "version": "1.0", "run_id": "r-1"}', 'TALLIED_CENTS');
  insertRaw(id, 1_033, '{"amount": 3}', '{"source": "new-bot", "version": "2.0"}', 'TALLIED_CENTS');
  insertRaw(id, 1_034, '{"cents": 100}', null, 'TALLIED_CENTS');
  insertRaw(id, 1_035, '{"cents": 100}', '"1.0"', 'TALLIED_CENTS');
  // Payloads that are not JSON alone but would be inside a larger text (the lean read builds
  // one per row around the payload): two values, one closing a bracket it never opened.
  insertRaw(id, 1_036, '{"amount": 1}, {"amount": 9}', null);
  insertRaw(id, 1_037, '{"amount": 1}]', null);
  insertRaw(id, 1_038, ' {"amount": 4} ', null); // clean: JSON allows the spaces
  insertRaw(id, 1_039, '{"amount": 1}],[0', null);
  // A time that is not an integer: a real is read as the whole read reads it; a text one sorts
  // after every number, so every read's time bound leaves it out.
  insertRaw(id, 1_040, '{"amount": 1}', null, 'TALLIED', '2026-01-01');
  insertRaw(id, 1_041, '{"amount": 1}', null, 'TALLIED', 1.5);
  const more = Array.from({ length: 1_958 }, (_, i) =>
    prepareEvent({
      event_type: 'TALLIED',
      aggregate_type: TYPE,
      aggregate_id: id,
      payload: { amount: 1 },
      created_at: 600_000 + i,
    }),
  );
  for (let i = 0; i < more.length; i += 1_000) store.appendBatch(more.slice(i, i + 1_000));
  // The last event is an old-schema one: lastEvent must come upcast, with its metadata and position.
  insertRaw(id, 3_000, '{"cents": 500}', '{"source": "old-bot", "version": "1.0", "correlation_id": "c-9"}', 'TALLIED_CENTS');
}

describe('lean rebuild (ReducerDefinition.leanEvents)', () => {
  it('equals the whole-row rebuild on a messy real file: state, lastEvent, anomalies, corrupt rows, gaps, upcasts', async () => {
    messyHistory('t-1');
    const { reader, projections } = watched();
    const lean = await rebuilderFor(true, reader).rebuild<Tally>(TYPE, 't-1');
    const whole = await rebuilderFor(false).rebuild<Tally>(TYPE, 't-1');
    expect(projections).toEqual([{ lean: true, metadataTypes: ['TALLIED_CENTS'] }]);
    expect(lean).toEqual(whole);
    // What both saw, so the comparison above is about something.
    expect(whole.version).toBe(3_000);
    expect(whole.state.count).toBe(1_020 + 3 + 1 + 3 + 2 + 1_958 + 1);
    expect(whole.state.total).toBeCloseTo(3_060 + 21 + 2 + 2.5 + 3 + 1 + 5 + 1_958 + 5, 9);
    expect(whole.corrupt.map((c) => [c.sequence_number, c.field])).toEqual([
      [1_021, 'payload'],
      [1_022, 'payload'],
      [1_023, 'metadata'],
      [1_024, 'metadata'],
      [1_025, 'metadata'],
      [1_035, 'metadata'],
      [1_036, 'payload'],
      [1_037, 'payload'],
      [1_039, 'payload'],
    ]);
    // 1,041 follows the text-time row both reads leave out.
    expect(whole.anomalies.map((a) => [a.kind, a.sequence_number])).toEqual([
      ['sequence_gap', 1_031],
      ['sequence_gap', 1_041],
    ]);
    // lastEvent is whole: position and metadata read, upcast as the fold saw it.
    const stored = (await store.getEvent('raw-t-1-3000')) as StoredEvent;
    expect(lean.lastEvent).toEqual({ ...stored, payload: { amount: 5 }, metadata: { ...stored.metadata, version: '2.0' } });
    expect(lean.lastEvent?.position).toBe(2_998); // 2,998 rows: 1,029 and 1,030 never written
    expect(lean.lastEvent?.metadata.correlation_id).toBe('c-9');
    // The corrupt rows come whole from the row mapper, position included.
    for (const c of lean.corrupt) expect(c.position).toBeGreaterThan(0);
  });

  it('hands the reducer events without metadata and position, but for the types an upcaster reads', async () => {
    messyHistory('t-2');
    const seen = new Map<number, string[]>();
    const reducers = new ReducerRegistry();
    const peek: ReducerDefinition<number> = {
      aggregateType: TYPE,
      version: 1,
      leanEvents: true,
      initialState: () => 0,
      reduce: (state, event) => {
        seen.set(event.sequence_number, Object.keys(structuredClone(event)));
        return state + 1;
      },
    };
    reducers.register(peek, 'test');
    await new Rebuilder(store, store, reducers, schemas(), { snapshots: { every: 0 } }, new ManualClock(0)).rebuild(TYPE, 't-2');
    const lean = ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'sequence_number', 'created_at', 'payload'];
    expect(seen.get(1)).toEqual(lean);
    expect(seen.get(1_026)).toEqual(lean);
    expect(seen.get(1_032)).toEqual([...lean, 'metadata']);
    // A row the SQL check could not vouch for comes whole, as the row mapper made it.
    expect(seen.get(1_028)).toEqual(['position', ...lean, 'metadata']);
  });

  it('asOfSequence and asOfTime bound a lean rebuild as they bound a whole one', async () => {
    messyHistory('t-3');
    for (const options of [{ asOfSequence: 1_025 }, { asOfSequence: 1_032 }, { asOfTime: 600_100 }, { asOfTime: 1 }]) {
      const lean = await rebuilderFor(true).rebuild<Tally>(TYPE, 't-3', options);
      const whole = await rebuilderFor(false).rebuild<Tally>(TYPE, 't-3', options);
      expect(lean, JSON.stringify(options)).toEqual(whole);
    }
  });

  it('a store that ignores the projection, or schemas that cannot list their upcasters, rebuild the same', async () => {
    messyHistory('t-4');
    const whole = await rebuilderFor(false).rebuild<Tally>(TYPE, 't-4');
    const ignoring = watched({ ignoreProjection: true });
    expect(await rebuilderFor(true, ignoring.reader).rebuild<Tally>(TYPE, 't-4')).toEqual(whole);
    // Only upcast(): which types it changes is unknown, so every event is read whole.
    const registry = schemas();
    const opaque = { upcast: (e: StoredEvent) => registry.upcast(e) };
    const plain = watched();
    const reducers = new ReducerRegistry();
    reducers.register(tallyReducer(true), 'test');
    const rebuilder = new Rebuilder(plain.reader, store, reducers, opaque, { snapshots: { every: 0 } }, new ManualClock(0));
    expect(await rebuilder.rebuild<Tally>(TYPE, 't-4')).toEqual(whole);
    expect(plain.projections).toEqual([undefined]);
  });

  it('a store that cannot stream (PostgreSQL, archive segments) reads whole rows once, nothing again', async () => {
    messyHistory('t-7');
    let reads = 0;
    const reader = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'streamAggregate') return undefined;
        if (name === 'readAggregate') {
          return (type: string, id: string, range?: AggregateRange) => {
            reads++;
            return target.readAggregate(type, id, range);
          };
        }
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const result = await rebuilderFor(true, reader).rebuild<Tally>(TYPE, 't-7');
    expect(result).toEqual(await rebuilderFor(false).rebuild<Tally>(TYPE, 't-7'));
    expect(reads).toBe(1);
  });

  it('a seed-written file opened read-only (no position table: rowid positions, no unique sequence index) rebuilds the same', async () => {
    const seedFile = dir.file('seed.db');
    const seed = new Database(seedFile);
    seed.exec(`CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
      aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER)`);
    const insert = seed.prepare('INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= 40; i++) {
      const metadata = i % 3 === 0 ? null : JSON.stringify({ source: 'seed', correlation_id: `c-${i}`, version: '1.0' });
      const [type, payload] = i % 4 === 0 ? ['TALLIED_CENTS', { cents: i * 100 }] : ['TALLIED', { amount: i }];
      insert.run(`seed-${i}`, type, TYPE, 's-1', JSON.stringify(payload), metadata, 1_000 + i, i < 20 ? i : i + 2); // 20 and 21 missing
    }
    insert.run('seed-bad', 'TALLIED', TYPE, 's-1', '{"amount": 1}', '{"source": ', 2_000, 43);
    seed.close();
    const readOnly = SqliteEventStore.open({ file: seedFile, readOnly: true });
    try {
      const rebuild = (lean: boolean) => {
        const reducers = new ReducerRegistry();
        reducers.register(tallyReducer(lean), 'test');
        return new Rebuilder(readOnly, readOnly, reducers, schemas(), { snapshots: { every: 0 } }, new ManualClock(0)).rebuild<Tally>(
          TYPE,
          's-1',
        );
      };
      const [lean, whole] = [await rebuild(true), await rebuild(false)];
      expect(lean).toEqual(whole);
      expect(whole.state.count).toBe(40);
      expect(whole.corrupt.map((c) => c.event_id)).toEqual(['seed-bad']);
      expect(whole.lastEvent?.event_id).toBe('seed-40');
      expect(whole.lastEvent?.position).toBe(40);
      expect(whole.anomalies.map((a) => [a.kind, a.sequence_number])).toEqual([['sequence_gap', 22]]);
      expect(whole.lastEvent?.payload).toEqual({ amount: 40 });
    } finally {
      readOnly.close();
    }
  });

  it('falls back to whole rows when the last lean event has no position (a row the whole read skips)', async () => {
    append('t-5', 10);
    // A writer that bypassed the position trigger: the whole read (which joins positions) skips the row.
    raw.exec('DROP TRIGGER trg_event_log_position');
    insertRaw('t-5', 11, '{"amount": 100}', null);
    const { reader, projections } = watched();
    const lean = await rebuilderFor(true, reader).rebuild<Tally>(TYPE, 't-5');
    const whole = await rebuilderFor(false).rebuild<Tally>(TYPE, 't-5');
    expect(projections).toEqual([{ lean: true, metadataTypes: ['TALLIED_CENTS'] }, undefined]);
    expect(lean).toEqual(whole);
    expect(whole.version).toBe(10);
  });

  it('a lean rebuild writes the same snapshot a whole one would, from the whole last event', async () => {
    append('t-6', 300);
    const reducers = new ReducerRegistry();
    reducers.register(tallyReducer(true), 'test');
    const rebuilder = new Rebuilder(store, store, reducers, schemas(), { snapshots: { every: 100 } }, new ManualClock(0));
    const first = await rebuilder.rebuild<Tally>(TYPE, 't-6');
    expect(first.snapshot.written).toBe(true);
    const snapshot = await store.loadSnapshot(TYPE, 't-6');
    expect(snapshot?.last_event_id).toBe(first.lastEvent?.event_id);
    expect(snapshot?.last_sequence_number).toBe(300);
    const again = await rebuilder.rebuild<Tally>(TYPE, 't-6');
    expect(again.fromSnapshot).toBe(true);
    expect(again.state).toEqual(first.state);
    expect(again.lastEvent).toEqual(first.lastEvent);
  });
});

// LeanEvent is what a lean reducer may be typed with: a StoredEvent is one.
const _typed: (e: StoredEvent) => LeanEvent = (e) => e;
void _typed;
