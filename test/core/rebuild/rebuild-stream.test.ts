/**
 * A rebuild from the start streams the aggregate's rows through the fold (the store's row
 * iterator), so folding a long history holds one event at a time; and a reducer's own
 * snapshot interval (`snapshotEvery`, the risk book's) wins over the config's.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AggregateRange } from '../../../src-core';
import { prepareEvent } from '../../../src-core/emitter/prepare';
import { Rebuilder } from '../../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { ManualClock } from '../../../src-core/clock/clock';
import { LEDGER, ledgerEvent, ledgerReducer } from './ledger-fixture';

let store: SqliteEventStore;
beforeEach(() => {
  store = SqliteEventStore.open({ file: tempDir('rebuild-stream-').file('events.db') });
  const events = Array.from({ length: 2_000 }, (_, i) => prepareEvent(ledgerEvent('acc-1', 'DEPOSITED', 1, 1_000 + i)));
  store.appendBatch(events);
});
afterEach(() => store.close());

/** The store, with a count of how its aggregate rows were asked for. */
function counted(): { reader: SqliteEventStore; asked: { whole: number; streamed: number; rowsStreamed: number } } {
  const asked = { whole: 0, streamed: 0, rowsStreamed: 0 };
  const reader = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'readAggregate') {
        return (type: string, id: string, range?: AggregateRange) => {
          asked.whole++;
          return target.readAggregate(type, id, range);
        };
      }
      if (name === 'streamAggregate') {
        return function* (type: string, id: string, range?: AggregateRange) {
          asked.streamed++;
          for (const record of target.streamAggregate(type, id, range)) {
            asked.rowsStreamed++;
            yield record;
          }
        };
      }
      return Reflect.get(target, name, receiver) as unknown;
    },
  });
  return { reader, asked };
}

describe('rebuild from the start', () => {
  it('streams the rows through the fold instead of reading the history into an array', async () => {
    const { reader, asked } = counted();
    const reducers = new ReducerRegistry();
    reducers.register(ledgerReducer(), 'test');
    const rebuilder = new Rebuilder(reader, reader, reducers, undefined, { snapshots: { every: 0 } }, new ManualClock(0));
    const result = await rebuilder.rebuild<{ balance: number }>(LEDGER, 'acc-1');
    expect(result.state.balance).toBe(2_000);
    expect(result.version).toBe(2_000);
    expect(asked).toEqual({ whole: 0, streamed: 1, rowsStreamed: 2_000 });
    // Time travel streams too, and stops where asked.
    const then = await rebuilder.rebuild<{ balance: number }>(LEDGER, 'acc-1', { asOfSequence: 500 });
    expect(then.state.balance).toBe(500);
    expect(asked.whole).toBe(0);
  });
});

describe('snapshot interval', () => {
  it("a reducer's snapshotEvery wins over the config's snapshots.every", async () => {
    const reducers = new ReducerRegistry();
    const reducer = { ...ledgerReducer(), snapshotEvery: 1_000 };
    reducers.register(reducer, 'test');
    const rebuilder = new Rebuilder(store, store, reducers, undefined, { snapshots: { every: 1_000_000 } }, new ManualClock(0));
    const result = await rebuilder.rebuild(LEDGER, 'acc-1');
    expect(result.snapshot.written).toBe(true);
    expect((await store.loadSnapshot(LEDGER, 'acc-1'))?.last_sequence_number).toBe(2_000);

    const plain = new ReducerRegistry();
    plain.register(ledgerReducer(), 'test');
    const other = SqliteEventStore.open({ file: tempDir('rebuild-stream-').file('events.db') });
    try {
      other.appendBatch(Array.from({ length: 2_000 }, (_, i) => prepareEvent(ledgerEvent('acc-1', 'DEPOSITED', 1, 1_000 + i))));
      const without = await new Rebuilder(other, other, plain, undefined, { snapshots: { every: 1_000_000 } }, new ManualClock(0)).rebuild(
        LEDGER,
        'acc-1',
      );
      expect(without.snapshot.written).toBe(false);
    } finally {
      other.close();
    }
  });
});
