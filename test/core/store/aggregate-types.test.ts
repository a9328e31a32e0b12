/**
 * aggregateTypes: the types that have events, from an index walk instead of a pass over every
 * row, equal to what `stats` counts; and aggregateTypesOf for a reader without it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregateTypesOf, type EventReader } from '../../../src-core';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';
import { tempDir } from '../../support/temp';

const stores: SqliteEventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function storeWith(types: string[]): SqliteEventStore {
  const store = SqliteEventStore.open({ file: tempDir('aggregate-types-').file('events.db') });
  stores.push(store);
  const events = [];
  for (const [i, type] of types.entries()) {
    for (let n = 0; n < 3; n++)
      events.push(prepared({ event_type: 'T', aggregate_type: type, aggregate_id: `id-${i}-${n}`, payload: { n } }));
  }
  if (events.length > 0) store.appendBatch(events);
  return store;
}

describe('aggregateTypes', () => {
  it('lists the types that have events, sorted, as stats counts them', async () => {
    const store = storeWith(['position', 'order', 'risk', 'order', 'alert', 'Zeta', 'a b']);
    const types = await store.aggregateTypes();
    expect(types).toEqual(['Zeta', 'a b', 'alert', 'order', 'position', 'risk']);
    expect(types).toEqual(Object.keys((await store.stats()).byAggregateType).sort());
  });

  it('is empty on an empty log', async () => {
    expect(await storeWith([]).aggregateTypes()).toEqual([]);
  });

  it('aggregateTypesOf asks the reader, or reads stats when it cannot say', async () => {
    const store = storeWith(['order', 'alert']);
    const stats = vi.spyOn(store, 'stats');
    expect(await aggregateTypesOf(store)).toEqual(['alert', 'order']);
    expect(stats).not.toHaveBeenCalled();
    const without = { stats: () => store.stats() } as unknown as EventReader;
    expect(await aggregateTypesOf(without)).toEqual(['alert', 'order']);
    expect(stats).toHaveBeenCalledTimes(1);
  });
});
