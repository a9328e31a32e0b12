import type Database from 'better-sqlite3';
import { prepareEvent, type NewEvent, type PreparedEvent } from '../../src-core';
import { type UuidV7Generator } from '../../src-core/events/ids';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';

export const T0 = Date.UTC(2026, 0, 5, 14, 30);

const pad = (n: number) => String(n).padStart(9, '0');

/**
 * A realistic fill (~200 bytes of JSON), the bulk of a trading log, with ids shaped as a bot
 * makes them: increasing order ids (the paper bot's `s3-ord-0001`), `live` orders in flight
 * at a time with ~10 events each, and one correlation id per ~50 events of a trade's chain.
 */
export function fillEvent(i: number, live = 100): NewEvent {
  const order = `ord-${pad(Math.floor(i / (live * 10)) * live + (i % live))}`;
  return {
    event_type: 'ORDER_PARTIALLY_FILLED',
    aggregate_type: 'order',
    aggregate_id: order,
    payload: {
      order_id: order,
      filled_quantity: 10,
      filled_price: 100 + (i % 97) / 10,
      cumulative_quantity: 10,
      leaves_quantity: 90,
      commission: 0.05,
      fill_time: T0 + i,
      liquidity: 'taker',
      trade_id: `t-${i}`,
    },
    metadata: { source: 'bench', correlation_id: `corr-${pad(Math.floor(i / 50))}` },
    created_at: T0 + i,
  };
}

/** Fill a log with `count` events through the store in big batches (fast, and in our format). */
export function prefill(file: string, count: number, make: (i: number) => NewEvent = (i) => fillEvent(i)): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  const batch = 10_000;
  for (let start = 0; start < count; start += batch) {
    // The store takes prepared events (ids, time and metadata completed, as the emitter does).
    const events: PreparedEvent[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) events.push(prepareEvent(make(i)));
    store.appendBatch(events);
  }
  store.connection.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

/** The seed's table, created by the seed's own DDL (migration 004). */
export function createSeedTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS event_log (
      event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
      aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL,
      sequence_number INTEGER, UNIQUE(aggregate_type, aggregate_id, sequence_number));
    CREATE INDEX IF NOT EXISTS idx_event_log_created_at ON event_log(created_at);
    CREATE INDEX IF NOT EXISTS idx_event_log_aggregate ON event_log(aggregate_type, aggregate_id);
    CREATE INDEX IF NOT EXISTS idx_event_log_type ON event_log(event_type);`);
}

/** Row values as a raw INSERT writes them: the same bytes our store writes. */
export function rawRow(ids: UuidV7Generator, e: NewEvent, sequence: number): unknown[] {
  const created = e.created_at ?? Date.now();
  return [
    ids.next(created),
    e.event_type,
    e.aggregate_type,
    e.aggregate_id,
    JSON.stringify(e.payload),
    JSON.stringify({ source: 'bench', correlation_id: null, causation_id: null, user_id: null, version: '1.0', ...e.metadata }),
    created,
    sequence,
  ];
}
