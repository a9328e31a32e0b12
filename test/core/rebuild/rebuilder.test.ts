import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUnknownTypeError } from '../../../src-core/errors';
import type { StoredEvent } from '../../../src-core/events/types';
import type { RebuildOptions, RebuildProgress } from '../../../src-core/rebuild/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { appendHistory, harness, LEDGER, ledgerEvent, ledgerReducer, type LedgerState } from './ledger-fixture';
import { prepareEvent } from '../../../src-core/emitter/prepare';

let tmp: ReturnType<typeof tempDir>;
let store: SqliteEventStore;
let file: string;

beforeEach(() => {
  tmp = tempDir('catalyst-rebuild-');
  file = tmp.file('events.db');
  store = SqliteEventStore.open({ file });
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function snapshotRow(
  type: string,
  id: string,
): { last_sequence_number: number; reducer_version: number | null; state: string } | undefined {
  return store.connection
    .prepare('SELECT last_sequence_number, reducer_version, state FROM event_snapshots WHERE aggregate_type = ? AND aggregate_id = ?')
    .get(type, id) as never;
}

describe('rebuild: current state and time travel', () => {
  // History: seq 1..5 at t=1000..5000; balances 100, 150, 120, 130, 130 (seq 5 overdraws).
  const cases: {
    name: string;
    options: RebuildOptions;
    balance: number;
    version: number;
    exists: boolean;
    lastSeq: number | null;
    overdraws: number;
  }[] = [
    { name: 'current state', options: {}, balance: 130, version: 5, exists: true, lastSeq: 5, overdraws: 1 },
    { name: 'asOfSequence in the middle', options: { asOfSequence: 3 }, balance: 120, version: 3, exists: true, lastSeq: 3, overdraws: 0 },
    {
      name: 'asOfSequence 0 is the initial state',
      options: { asOfSequence: 0 },
      balance: 0,
      version: 0,
      exists: false,
      lastSeq: null,
      overdraws: 0,
    },
    {
      name: 'asOfSequence past the end is the current state',
      options: { asOfSequence: 99 },
      balance: 130,
      version: 5,
      exists: true,
      lastSeq: 5,
      overdraws: 1,
    },
    { name: 'asOfTime between two events', options: { asOfTime: 2500 }, balance: 150, version: 2, exists: true, lastSeq: 2, overdraws: 0 },
    {
      name: 'asOfTime exactly at an event includes it',
      options: { asOfTime: 3000 },
      balance: 120,
      version: 3,
      exists: true,
      lastSeq: 3,
      overdraws: 0,
    },
    {
      name: 'asOfTime before the first event',
      options: { asOfTime: 999 },
      balance: 0,
      version: 0,
      exists: false,
      lastSeq: null,
      overdraws: 0,
    },
    {
      name: 'both: whichever comes first (time)',
      options: { asOfSequence: 4, asOfTime: 2500 },
      balance: 150,
      version: 2,
      exists: true,
      lastSeq: 2,
      overdraws: 0,
    },
    {
      name: 'both: whichever comes first (sequence)',
      options: { asOfSequence: 1, asOfTime: 4500 },
      balance: 100,
      version: 1,
      exists: true,
      lastSeq: 1,
      overdraws: 0,
    },
  ];
  it.each(cases)('$name', async ({ options, balance, version, exists, lastSeq, overdraws }) => {
    appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store);
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1', options);
    expect(result.state.balance).toBe(balance);
    expect(result.version).toBe(version);
    expect(result.exists).toBe(exists);
    expect(result.lastEvent?.sequence_number ?? null).toBe(lastSeq);
    expect(result.state.anomalies).toHaveLength(overdraws);
    expect(result.anomalies).toEqual([]);
    expect(result.corrupt).toEqual([]);
    expect(result.fromSnapshot).toBe(false);
  });

  it('an aggregate with no events has its initial state, version 0, exists false', async () => {
    const { rebuilder } = harness(store, { every: 1 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'nobody');
    expect(result).toMatchObject({ version: 0, exists: false, lastEvent: null, eventsApplied: 0 });
    expect(result.state).toEqual({ id: 'nobody', balance: 0, entries: [], anomalies: [] });
    expect(result.snapshot.written).toBe(false);
  });

  it('an unknown aggregate type is an UnknownTypeError naming the known ones', async () => {
    const { rebuilder } = harness(store);
    const error = await rebuilder.rebuild('nope', 'x').catch((e: unknown) => e);
    expect(isUnknownTypeError(error)).toBe(true);
    expect((error as Error).message).toContain("unknown aggregate type 'nope' (known: ledger)");
  });

  it('other aggregates never leak into the fold', async () => {
    appendHistory(store, 'acct-1');
    store.append(prepareEvent(ledgerEvent('acct-2', 'DEPOSITED', 7, 1500)));
    const { rebuilder } = harness(store);
    expect((await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-2')).state.balance).toBe(7);
  });

  it('initial state is a fresh copy each time: a reducer cannot poison it', async () => {
    const shared: LedgerState = { id: 'x', balance: 0, entries: [], anomalies: [] };
    const reducer = ledgerReducer({ mutate: true });
    reducer.initialState = () => shared;
    store.append(prepareEvent(ledgerEvent('acct-1', 'DEPOSITED', 5, 1000)));
    const { rebuilder } = harness(store, { reducer });
    await rebuilder.rebuild(LEDGER, 'acct-1');
    const again = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(again.state.balance).toBe(5);
    expect(shared.balance).toBe(0);
  });

  it('a reducer that throws keeps the previous state and records an anomaly; corrupt rows are skipped and reported', async () => {
    store.appendBatch([ledgerEvent('acct-1', 'DEPOSITED', 100, 1000), ledgerEvent('acct-1', 'BOOM', 0, 2000)].map((e) => prepareEvent(e)));
    // A row whose payload is not JSON (written by something else): the log must still rebuild.
    store.connection
      .prepare(
        `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
                VALUES ('bad-1', 'DEPOSITED', 'ledger', 'acct-1', '{not json', NULL, 3000, 3)`,
      )
      .run();
    store.append(prepareEvent(ledgerEvent('acct-1', 'DEPOSITED', 1, 4000)));
    const { rebuilder } = harness(store, { every: 1 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(result.state.balance).toBe(101);
    expect(result.version).toBe(4);
    expect(result.eventsApplied).toBe(2);
    expect(result.anomalies).toEqual([
      expect.objectContaining({ sequence_number: 2, event_type: 'BOOM', kind: 'reducer_threw', reason: 'reducer bug' }),
    ]);
    expect(result.corrupt.map((c) => [c.event_id, c.field])).toEqual([['bad-1', 'payload']]);
    // No snapshot past a problem, so every later rebuild still reports it.
    expect(result.snapshot.written).toBe(false);
    expect(snapshotRow(LEDGER, 'acct-1')).toBeUndefined();
  });

  it('upcasts every event through the schema registry before reducing', async () => {
    store.append(
      prepareEvent({ event_type: 'DEPOSITED', aggregate_type: LEDGER, aggregate_id: 'a', payload: { amount_cents: 1250 }, created_at: 1 }),
    );
    store.append(prepareEvent(ledgerEvent('a', 'DEPOSITED', 1, 2)));
    const upcast = (e: StoredEvent): StoredEvent =>
      'amount_cents' in e.payload ? { ...e, payload: { amount: Number(e.payload.amount_cents) / 100 } } : e;
    const withSchemas = harness(store, { schemas: { upcast } });
    expect((await withSchemas.rebuilder.rebuild<LedgerState>(LEDGER, 'a')).state.balance).toBe(13.5);
    // Without a schema registry in the container the events are folded as stored.
    const bare = harness(store);
    expect((await bare.rebuilder.rebuild<LedgerState>(LEDGER, 'a')).state.balance).toBeNaN();
  });

  it('an upcaster that throws is an anomaly, not a failed rebuild', async () => {
    appendHistory(store, 'a');
    const { rebuilder } = harness(store, {
      schemas: {
        upcast: (e) => {
          if (e.sequence_number === 2) throw new Error('no upcaster from 0.9');
          return e;
        },
      },
    });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'a');
    expect(result.state.balance).toBe(80);
    expect(result.anomalies).toEqual([
      expect.objectContaining({ sequence_number: 2, kind: 'upcast_failed', reason: 'no upcaster from 0.9' }),
    ]);
  });
});

describe('rebuild: snapshots', () => {
  /** Writes a snapshot by hand, with a marker the reducer never produces, to prove it was used. */
  function plantSnapshot(events: StoredEvent[], at: number, patch: { reducer_version?: number | null; last_event_id?: string } = {}): void {
    const event = events[at - 1]!;
    store.saveSnapshot({
      aggregate_type: LEDGER,
      aggregate_id: event.aggregate_id,
      state: { id: event.aggregate_id, balance: 1_000_000, entries: [], anomalies: [], marker: 'from-snapshot' },
      reducer_version: patch.reducer_version === undefined ? 2 : patch.reducer_version,
      last_event_id: patch.last_event_id ?? event.event_id,
      last_sequence_number: at,
    });
  }

  const cases: {
    name: string;
    plant: { at: number; reducer_version?: number | null; wrongId?: boolean };
    options: RebuildOptions;
    used: boolean;
    ignored: string | null;
    balance: number;
    reducerCalls: number;
  }[] = [
    {
      name: 'a valid snapshot is used: only later events are folded',
      plant: { at: 3 },
      options: {},
      used: true,
      ignored: null,
      balance: 1_000_000 + 10 - 500,
      reducerCalls: 2,
    },
    {
      name: 'a snapshot at the head folds nothing',
      plant: { at: 5 },
      options: {},
      used: true,
      ignored: null,
      balance: 1_000_000,
      reducerCalls: 0,
    },
    {
      name: 'time travel after the snapshot uses it',
      plant: { at: 3 },
      options: { asOfSequence: 4 },
      used: true,
      ignored: null,
      balance: 1_000_010,
      reducerCalls: 1,
    },
    {
      name: 'asOfTime after the snapshot uses it',
      plant: { at: 3 },
      options: { asOfTime: 3000 },
      used: true,
      ignored: null,
      balance: 1_000_000,
      reducerCalls: 0,
    },
    {
      name: 'stale reducer version is ignored',
      plant: { at: 3, reducer_version: 1 },
      options: {},
      used: false,
      ignored: 'reducer_version',
      balance: 130,
      reducerCalls: 5,
    },
    {
      name: 'seed-written snapshot (no reducer version) is ignored',
      plant: { at: 3, reducer_version: null },
      options: {},
      used: false,
      ignored: 'reducer_version',
      balance: 130,
      reducerCalls: 5,
    },
    {
      name: 'last_event_id that does not match the event at its sequence is ignored',
      plant: { at: 3, wrongId: true },
      options: {},
      used: false,
      ignored: 'last_event_mismatch',
      balance: 130,
      reducerCalls: 5,
    },
    {
      name: 'asOfSequence before the snapshot ignores it',
      plant: { at: 3 },
      options: { asOfSequence: 2 },
      used: false,
      ignored: 'after_as_of',
      balance: 150,
      reducerCalls: 2,
    },
    {
      name: 'asOfTime before the snapshot ignores it',
      plant: { at: 3 },
      options: { asOfTime: 2500 },
      used: false,
      ignored: 'after_as_of',
      balance: 150,
      reducerCalls: 2,
    },
    {
      name: 'wrong id with asOfTime is still a mismatch',
      plant: { at: 3, wrongId: true },
      options: { asOfTime: 2500 },
      used: false,
      ignored: 'last_event_mismatch',
      balance: 150,
      reducerCalls: 2,
    },
  ];
  it.each(cases)('$name', async ({ plant, options, used, ignored, balance, reducerCalls }) => {
    const events = appendHistory(store, 'acct-1');
    plantSnapshot(events, plant.at, {
      ...(plant.reducer_version !== undefined ? { reducer_version: plant.reducer_version } : {}),
      ...(plant.wrongId ? { last_event_id: events[0]!.event_id } : {}),
    });
    const { rebuilder, reducer } = harness(store, { every: 0 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1', options);
    expect(result.fromSnapshot).toBe(used);
    expect(result.snapshot).toMatchObject({ found: true, used, ignored, written: false });
    expect(result.state.balance).toBe(balance);
    expect(result.state.marker).toBe(used ? 'from-snapshot' : undefined);
    expect(reducer.calls).toBe(reducerCalls);
    expect(result.eventsApplied).toBe(reducerCalls);
    expect(result.exists).toBe(true);
    expect(result.lastEvent?.sequence_number).toBe(result.version);
  });

  it('policy: writes one every N events, then later rebuilds start from it', async () => {
    const events = appendHistory(store, 'acct-1');
    const { rebuilder, reducer, clock } = harness(store, { every: 3 });
    clock.set(42_000);
    const first = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(first.snapshot).toMatchObject({ found: false, used: false, written: true });
    const row = store.connection.prepare('SELECT * FROM event_snapshots').all() as Record<string, unknown>[];
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      aggregate_type: LEDGER,
      aggregate_id: 'acct-1',
      last_sequence_number: 5,
      last_event_id: events[4]!.event_id,
      reducer_version: 2,
      created_at: 42_000,
    });
    expect(JSON.parse(row[0]!.state as string)).toEqual(first.state);

    reducer.calls = 0;
    const second = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(second).toMatchObject({ fromSnapshot: true, eventsApplied: 0, version: 5 });
    expect(second.state).toEqual(first.state);
    expect(second.lastEvent?.event_id).toBe(events[4]!.event_id);
    expect(reducer.calls).toBe(0);
    expect(second.snapshot.written).toBe(false);

    // Two more events: below the policy's N, folded on top, no new snapshot.
    store.appendBatch(
      [ledgerEvent('acct-1', 'DEPOSITED', 1, 6000), ledgerEvent('acct-1', 'DEPOSITED', 1, 7000)].map((e) => prepareEvent(e)),
    );
    reducer.calls = 0;
    const third = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(third).toMatchObject({ fromSnapshot: true, eventsApplied: 2, version: 7 });
    expect(third.state.balance).toBe(132);
    expect(reducer.calls).toBe(2);
    expect(snapshotRow(LEDGER, 'acct-1')?.last_sequence_number).toBe(5);

    // A third one reaches N past the snapshot: replaced (one snapshot per aggregate).
    store.append(prepareEvent(ledgerEvent('acct-1', 'DEPOSITED', 1, 8000)));
    const fourth = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(fourth.snapshot.written).toBe(true);
    expect(snapshotRow(LEDGER, 'acct-1')?.last_sequence_number).toBe(8);
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_snapshots').pluck().get() as number).toBe(1);
  });

  it('a stale-version snapshot is replaced by one from the current reducer', async () => {
    const events = appendHistory(store, 'acct-1');
    plantSnapshot(events, 5, { reducer_version: 1 });
    const { rebuilder } = harness(store, { every: 2 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(result.snapshot).toMatchObject({ ignored: 'reducer_version', written: true });
    expect(snapshotRow(LEDGER, 'acct-1')).toMatchObject({ reducer_version: 2, last_sequence_number: 5 });
    expect((JSON.parse(snapshotRow(LEDGER, 'acct-1')!.state) as { marker?: unknown }).marker).toBeUndefined();
  });

  it('time travel never replaces a newer trusted snapshot with an older one', async () => {
    const events = appendHistory(store, 'acct-1');
    plantSnapshot(events, 5);
    const { rebuilder } = harness(store, { every: 1 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1', { asOfSequence: 3 });
    expect(result.snapshot).toMatchObject({ ignored: 'after_as_of', written: false });
    expect(snapshotRow(LEDGER, 'acct-1')?.last_sequence_number).toBe(5);
  });

  it('a read-only store never writes snapshots: the file bytes stay the same', async () => {
    appendHistory(store, 'acct-1');
    appendHistory(store, 'acct-2');
    store.close();
    const digest = (): string => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = digest();
    expect(readdirSync(tmp.dir)).toEqual(['events.db']);
    store = SqliteEventStore.open({ file, readOnly: true });
    expect(store.canWriteSnapshots).toBe(false);
    const { rebuilder } = harness(store, { every: 1 });
    for (let i = 0; i < 2; i++) {
      const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
      expect(result.state.balance).toBe(130);
      expect(result.snapshot).toMatchObject({ used: false, written: false });
    }
    const all = [];
    for await (const r of rebuilder.rebuildAll(LEDGER)) all.push(r.snapshot.written);
    expect(all).toEqual([false, false]);
    expect(await store.loadSnapshot(LEDGER, 'acct-1')).toBeNull();
    store.close();
    expect(digest()).toBe(before);
    // A read-only WAL reader may leave an empty -wal/-shm pair behind; it must hold no frames.
    for (const name of readdirSync(tmp.dir).filter((n) => n.endsWith('-wal'))) {
      expect(statSync(join(tmp.dir, name)).size).toBe(0);
    }
    store = SqliteEventStore.open({ file }); // for afterEach
  });

  it('every = 0 disables writing but still reads a valid snapshot', async () => {
    const events = appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store, { every: 0 });
    expect((await rebuilder.rebuild(LEDGER, 'acct-1')).snapshot.written).toBe(false);
    expect(snapshotRow(LEDGER, 'acct-1')).toBeUndefined();
    plantSnapshot(events, 4);
    expect((await rebuilder.rebuild(LEDGER, 'acct-1')).fromSnapshot).toBe(true);
  });

  it('a snapshot whose JSON is corrupt is no snapshot', async () => {
    appendHistory(store, 'acct-1');
    store.connection
      .prepare(
        `INSERT INTO event_snapshots (snapshot_id, aggregate_type, aggregate_id, state, last_event_id, last_sequence_number, created_at, reducer_version)
                VALUES ('s1', 'ledger', 'acct-1', '{broken', 'x', 3, 0, 2)`,
      )
      .run();
    const { rebuilder } = harness(store);
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(result.state.balance).toBe(130);
    expect(result.fromSnapshot).toBe(false);
  });

  it('a snapshot never hides a sequence gap or reducer throw that came after it', async () => {
    const events = appendHistory(store, 'acct-1');
    plantSnapshot(events, 5);
    store.append(prepareEvent(ledgerEvent('acct-1', 'BOOM', 0, 6000)));
    const { rebuilder } = harness(store, { every: 1 });
    const result = await rebuilder.rebuild<LedgerState>(LEDGER, 'acct-1');
    expect(result.fromSnapshot).toBe(true);
    expect(result.anomalies.map((a) => a.kind)).toEqual(['reducer_threw']);
    expect(result.snapshot.written).toBe(false);
  });
});

describe('steps', () => {
  it('returns every step with the state before, after, and a structural diff', async () => {
    appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store);
    const replay = await rebuilder.steps<LedgerState>(LEDGER, 'acct-1');
    expect(replay.initial).toEqual({ id: 'acct-1', balance: 0, entries: [], anomalies: [] });
    expect(replay.steps.map((s) => [s.index, s.event.sequence_number, s.before.balance, s.after.balance])).toEqual([
      [0, 1, 0, 100],
      [1, 2, 100, 150],
      [2, 3, 150, 120],
      [3, 4, 120, 130],
      [4, 5, 130, 130],
    ]);
    expect(replay.steps[0]!.diff).toEqual([
      { kind: 'changed', path: '$.balance', before: 0, after: 100 },
      { kind: 'added', path: '$.entries[0]', after: 100 },
    ]);
    expect(replay.steps[4]!.diff).toEqual([{ kind: 'added', path: '$.anomalies[0]', after: 'overdraw 500 at 5' }]);
    expect(replay.steps.every((s, i) => i === 0 || s.before === replay.steps[i - 1]!.after)).toBe(true);
  });

  it('a sequence range starts from the rebuilt state before it', async () => {
    appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store);
    const replay = await rebuilder.steps<LedgerState>(LEDGER, 'acct-1', { fromSequence: 3, toSequence: 4 });
    expect(replay.initial.balance).toBe(150);
    expect(replay.steps.map((s) => s.event.sequence_number)).toEqual([3, 4]);
    expect(replay.steps[0]!.diff).toEqual([
      { kind: 'changed', path: '$.balance', before: 150, after: 120 },
      { kind: 'added', path: '$.entries[2]', after: -30 },
    ]);
  });

  it('a reducer that mutates in place cannot rewrite earlier steps', async () => {
    store.appendBatch([1, 2, 3].map((n) => ledgerEvent('acct-1', 'DEPOSITED', n, n * 1000)).map((e) => prepareEvent(e)));
    const { rebuilder } = harness(store, { reducer: ledgerReducer({ mutate: true }) });
    const replay = await rebuilder.steps<LedgerState>(LEDGER, 'acct-1');
    expect(replay.initial.entries).toEqual([]);
    expect(replay.steps.map((s) => s.after.entries)).toEqual([[1], [1, 2], [1, 2, 3]]);
    expect(replay.steps.map((s) => s.diff.length)).toEqual([2, 2, 2]);
  });

  it('a step the reducer throws on keeps the state, carries the anomaly and an empty diff', async () => {
    store.appendBatch(
      [ledgerEvent('a', 'DEPOSITED', 5, 1), ledgerEvent('a', 'BOOM', 0, 2), ledgerEvent('a', 'DEPOSITED', 1, 3)].map((e) =>
        prepareEvent(e),
      ),
    );
    const { rebuilder } = harness(store);
    const replay = await rebuilder.steps<LedgerState>(LEDGER, 'a');
    expect(replay.steps[1]).toMatchObject({ diff: [], anomaly: { kind: 'reducer_threw', sequence_number: 2 } });
    expect(replay.steps[1]!.after).toBe(replay.steps[1]!.before);
    expect(replay.steps[2]!.after.balance).toBe(6);
    expect(replay.anomalies).toHaveLength(1);
  });
});

describe('rebuildAll', () => {
  it('streams every aggregate of the type with a progress callback', async () => {
    for (const id of ['c', 'a', 'd', 'b', 'e']) appendHistory(store, id, [['DEPOSITED', id.charCodeAt(0)]]);
    store.append(prepareEvent({ event_type: 'OTHER', aggregate_type: 'other', aggregate_id: 'z', payload: {} }));
    const { rebuilder } = harness(store, { every: 1 });
    const progress: RebuildProgress[] = [];
    const seen: [string, number][] = [];
    // pageSize 2 forces the listing to page through the aggregates.
    for await (const result of rebuilder.rebuildAll<LedgerState>(LEDGER, { pageSize: 2, onProgress: (p) => progress.push(p) })) {
      seen.push([result.aggregateId, result.state.balance]);
      expect(progress[progress.length - 1]!.aggregateId).toBe(result.aggregateId);
    }
    expect(seen).toEqual([
      ['a', 97],
      ['b', 98],
      ['c', 99],
      ['d', 100],
      ['e', 101],
    ]);
    expect(progress.map((p) => [p.aggregateId, p.done, p.total])).toEqual([
      [null, 0, 5],
      ['a', 1, 5],
      ['b', 2, 5],
      ['c', 3, 5],
      ['d', 4, 5],
      ['e', 5, 5],
    ]);
    expect(store.connection.prepare('SELECT COUNT(*) FROM event_snapshots').pluck().get()).toBe(5);
  });

  it('an unknown type fails before listing anything', async () => {
    const { rebuilder } = harness(store);
    await expect(rebuilder.rebuildAll('nope').next()).rejects.toSatisfy(isUnknownTypeError);
  });
});

describe('verify', () => {
  const rebuilt: LedgerState = { id: 'acct-1', balance: 130, entries: [100, 50, -30, 10], anomalies: ['overdraw 500 at 5'] };
  const cases: { name: string; live: unknown; differences: { path: string; rebuilt: unknown; live: unknown }[] }[] = [
    { name: 'identical state', live: structuredClone(rebuilt), differences: [] },
    { name: 'float noise within tolerance', live: { ...rebuilt, balance: 0.1 + 0.2 + 129.7 }, differences: [] },
    { name: 'undefined fields count as absent', live: { ...rebuilt, marker: undefined }, differences: [] },
    {
      name: 'a real P&L difference',
      live: { ...rebuilt, balance: 130.01 },
      differences: [{ path: '$.balance', rebuilt: 130, live: 130.01 }],
    },
    {
      name: 'missing, extra and changed entries',
      live: { id: 'acct-1', balance: 130, entries: [100, 50, -30], anomalies: ['other'], extra: true },
      differences: [
        { path: '$.entries[3]', rebuilt: 10, live: undefined },
        { path: '$.anomalies[0]', rebuilt: 'overdraw 500 at 5', live: 'other' },
        { path: '$.extra', rebuilt: undefined, live: true },
      ],
    },
    { name: 'a live state of another shape', live: null, differences: [{ path: '$', rebuilt, live: null }] },
  ];
  it.each(cases)('$name', async ({ live, differences }) => {
    appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store);
    const result = await rebuilder.verify<LedgerState>(LEDGER, 'acct-1', live);
    expect(result.differences).toEqual(differences);
    expect(result.equal).toBe(differences.length === 0);
    expect(result.rebuild.state).toEqual(rebuilt);
  });

  it('tolerance is configurable', async () => {
    appendHistory(store, 'acct-1');
    const { rebuilder } = harness(store);
    const result = await rebuilder.verify(LEDGER, 'acct-1', { ...rebuilt, balance: 130.01 }, { absoluteTolerance: 0.05 });
    expect(result.equal).toBe(true);
  });
});
