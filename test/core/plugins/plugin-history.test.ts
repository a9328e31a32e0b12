/**
 * PluginContext.reader and .history: what a plugin reads of the log to rebuild its live
 * state, on a real SQLite file.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createCatalyst,
  isUnknownTypeError,
  ManualClock,
  type Catalyst,
  type CatalystPlugin,
  type CatalystStore,
  type PluginContext,
  type ReducerDefinition,
} from '../../../src-core';
import { tempDir } from '../../support/temp';
import { prepareEvent } from '../../../src-core/emitter/prepare';

interface Counter {
  id: string;
  total: number;
  applied: number;
}

const counterReducer: ReducerDefinition<Counter> = {
  aggregateType: 'counter',
  version: 1,
  initialState: (id) => ({ id, total: 0, applied: 0 }),
  reduce: (s, e) => ({ ...s, total: s.total + Number(e.payload.by ?? 0), applied: s.applied + 1 }),
};

/** A plugin that keeps its context, with a schema whose v2 renamed `amount` to `by`. */
function counterPlugin(): CatalystPlugin & { ctx?: PluginContext } {
  const plugin: CatalystPlugin & { ctx?: PluginContext } = {
    name: 'counter',
    version: '1.0.0',
    coreApi: '^1.0.0',
    register(ctx) {
      plugin.ctx = ctx;
      ctx.schemas.register({
        eventType: 'COUNTED',
        aggregateType: 'counter',
        version: '2',
        payload: z.object({ by: z.number() }),
        upcasters: [{ fromVersion: '1.0', toVersion: '2', up: (p) => ({ by: p.amount }) }],
      });
      ctx.reducers.register(counterReducer);
    },
  };
  return plugin;
}

describe('PluginContext.history and .reader', () => {
  const tmp = tempDir('history-');
  let catalyst: Catalyst | undefined;
  afterEach(async () => {
    await catalyst?.close();
    catalyst = undefined;
  });
  afterAll(() => tmp.cleanup());

  const open = async (plugin: CatalystPlugin, options: { store?: CatalystStore } = {}) => {
    catalyst = await createCatalyst(
      { db: tmp.file(`h-${Math.random().toString(36).slice(2)}.db`), emitter: { handleSignals: false } },
      { plugins: [plugin], clock: new ManualClock(1_000), ...options },
    );
    return catalyst;
  };

  it('reads an aggregate synchronously: events (upcast, in order), version, last, and a fold', async () => {
    const plugin = counterPlugin();
    const c = await open(plugin);
    // An event written under schema 1.0 (the seed's way): history lifts it like the rebuilder does.
    c.store.append(
      prepareEvent({
        event_type: 'COUNTED',
        aggregate_type: 'counter',
        aggregate_id: 'c1',
        payload: { amount: 2 },
        metadata: { version: '1.0' },
      }),
    );
    c.emitter.emit({ event_type: 'COUNTED', aggregate_type: 'counter', aggregate_id: 'c1', payload: { by: 5 } });
    c.emitter.emit({ event_type: 'COUNTED', aggregate_type: 'counter', aggregate_id: 'c2', payload: { by: 1 } });
    const { history } = plugin.ctx!;

    expect(history.available).toBe(true);
    expect(history.events('counter', 'c1').map((e) => [e.sequence_number, e.payload.by])).toEqual([
      [1, 2],
      [2, 5],
    ]);
    expect(history.events('counter', 'c1', { fromSequence: 2 })).toHaveLength(1);
    expect(history.version('counter', 'c1')).toBe(2);
    expect(history.version('counter', 'nope')).toBe(0);
    expect(history.last('counter', 'c1')).toMatchObject({ sequence_number: 2, payload: { by: 5 } });
    expect(history.last('counter', 'nope')).toBeNull();

    // The registered reducer by default, or the one passed.
    const folded = history.rebuild<Counter>('counter', 'c1');
    expect(folded).toMatchObject({ state: { id: 'c1', total: 7, applied: 2 }, version: 2, anomalies: [] });
    expect(folded!.lastEvent.event_id).toBe(history.last('counter', 'c1')!.event_id);
    const doubled = { ...counterReducer, reduce: (s: Counter) => ({ ...s, applied: s.applied + 2 }) };
    expect(history.rebuild('counter', 'c1', doubled)!.state.applied).toBe(4);
    expect(history.rebuild('counter', 'nope')).toBeNull();
    let thrown: unknown;
    try {
      history.rebuild('ghost', 'x');
    } catch (error) {
      thrown = error;
    }
    expect(isUnknownTypeError(thrown)).toBe(true);

    // page: the reader's readPage, synchronously, upcast too.
    const sync = history.page({ aggregateType: 'counter' }, { limit: 2 });
    const async = await plugin.ctx!.reader.readPage({ aggregateType: 'counter' }, { limit: 2 });
    expect(sync.records.map((r) => r.event_id)).toEqual(async.records.map((r) => r.event_id));
    expect(sync.next).toBe(async.next);
    expect(sync.records[0]).toMatchObject({ payload: { by: 2 } });
    const back = history.page({ aggregateType: 'counter' }, { limit: 1, direction: 'backward' });
    expect(back.records[0]).toMatchObject({ aggregate_id: 'c2' });
  });

  it('the reader is the query side only: no writes, and closing it leaves the store open', async () => {
    const plugin = counterPlugin();
    const c = await open(plugin);
    c.emitter.emit({ event_type: 'COUNTED', aggregate_type: 'counter', aggregate_id: 'c1', payload: { by: 1 } });
    const { reader } = plugin.ctx!;
    const writable = reader as unknown as { append(e: unknown): unknown; appendBatch(e: unknown[]): unknown };
    expect(() => writable.append({})).toThrow(/read-only|read only/i);
    expect(() => writable.appendBatch([])).toThrow(/read-only|read only/i);
    expect(Object.isFrozen(reader)).toBe(true);
    expect(reader.readOnly).toBe(false);
    await reader.close();
    expect(await reader.aggregateVersion('counter', 'c1')).toBe(1);
    c.emitter.emit({ event_type: 'COUNTED', aggregate_type: 'counter', aggregate_id: 'c1', payload: { by: 1 } });
    expect((await reader.readAggregate('counter', 'c1')).map((e) => e.sequence_number)).toEqual([1, 2]);
    expect((await reader.stats()).total).toBe(2);
  });

  it('over a store without synchronous reads, history answers empty and says so', async () => {
    const file = tmp.file('async-only.db');
    const seeded = await createCatalyst({ db: file, emitter: { handleSignals: false } }, { plugins: [counterPlugin()] });
    seeded.emitter.emit({ event_type: 'COUNTED', aggregate_type: 'counter', aggregate_id: 'c1', payload: { by: 1 } });
    const store = seeded.store;
    // A remote-style store: the async reader and the writer, nothing synchronous to read with.
    const asyncOnly = new Proxy(store, {
      get: (target, key) => {
        if (typeof key === 'string' && key.endsWith('Sync')) return undefined;
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    const plugin = counterPlugin();
    const c = await open(plugin, { store: asyncOnly });
    const { history, reader } = plugin.ctx!;
    expect(history.available).toBe(false);
    expect(history.events('counter', 'c1')).toEqual([]);
    expect(history.version('counter', 'c1')).toBe(0);
    expect(history.rebuild('counter', 'c1')).toBeNull();
    expect(history.page({}, { limit: 10 })).toEqual({ records: [], next: null });
    expect(await reader.aggregateVersion('counter', 'c1')).toBe(1); // the async side still reads
    await c.close();
    catalyst = undefined;
    await seeded.close();
  });
});
