import { type ManualClock, Rebuilder, ReducerRegistry, type NewEvent, type PreparedEvent, type StoredEvent } from '../../src-core';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { T0 } from './fixtures';

const STEPS = ['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED'] as const;

/** An order's life in four events (~250 bytes of payload each); `orders` of them, one a minute. */
export function orderEvents(orders: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let o = 0; o < orders; o++) {
    const id = `ord-${String(o).padStart(8, '0')}`;
    STEPS.forEach((type, step) => {
      out.push({
        event_type: type,
        aggregate_type: 'order',
        aggregate_id: id,
        payload: {
          order_id: id,
          ticker: ['AAPL', 'MSFT', 'NVDA', 'TSLA'][o % 4],
          side: o % 3 === 0 ? 'sell' : 'buy',
          quantity: 100,
          filled_quantity: step >= 2 ? 50 * (step - 1) : 0,
          filled_price: step >= 2 ? 100 + (o % 97) / 10 : null,
          commission: 0.05 * step,
          fill_time: step >= 2 ? T0 + o * 60_000 + step * 1000 : null,
          liquidity: 'taker',
          trade_id: step >= 2 ? `t-${o}-${step}` : null,
        },
        metadata: { source: 'bench', correlation_id: `corr-${o}` },
        created_at: T0 + o * 60_000 + step * 1000,
      });
    });
  }
  return out;
}

/** A filled order is over: the reducer's define-time hint. */
export function reducers(): ReducerRegistry {
  const registry = new ReducerRegistry();
  registry.register({
    aggregateType: 'order',
    version: 1,
    initialState: (id: string) => ({ id, status: 'unknown', filled: 0 }),
    reduce: (state: { id: string; status: string; filled: number }, event: StoredEvent) => ({
      ...state,
      status: event.event_type.replace('ORDER_', '').toLowerCase(),
      filled: Number(event.payload.filled_quantity ?? state.filled),
    }),
    isTerminal: (state) => state.status === 'filled',
  });
  return registry;
}

/** What runArchive reads a live file through: a read-only store, the reducers and a rebuilder over them. */
export function archiveReader(
  live: string,
  clock: ManualClock,
): { reader: SqliteEventStore; reducers: ReducerRegistry; rebuilder: Rebuilder } {
  const reader = SqliteEventStore.open({ file: live, readOnly: true });
  const registry = reducers();
  return { reader, reducers: registry, rebuilder: new Rebuilder(reader, reader, registry, undefined, { snapshots: { every: 0 } }, clock) };
}

export function write(file: string, events: readonly PreparedEvent[]): void {
  const store = SqliteEventStore.open({ file, durability: 'normal' });
  try {
    for (let i = 0; i < events.length; i += 1000) store.appendBatch(events.slice(i, i + 1000));
  } finally {
    store.close();
  }
}
