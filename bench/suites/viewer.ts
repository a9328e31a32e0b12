/**
 * The viewer at scale, through the viewer service (what the Electron app and `serve` call):
 * opening the replay of a 100,000-event aggregate (steps paged, diffs for the first window
 * only), and jumping to the end of a 1,000,000-event list (200k with --quick), on one log
 * that holds both: the aggregate first, then fills across many orders.
 */
import { join } from 'node:path';
import { UuidV7Generator, type PreparedEvent } from '../../src-core';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { openViewer } from '../../src-desktop/main/open-viewer';
import { median, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { T0 } from '../lib/fixtures';

const AGGREGATE = 100_000;
const POSITION = 'v-pos-1';
const WINDOW = 200;

function event(i: number, ids: UuidV7Generator): PreparedEvent {
  const at = T0 + i * 1000;
  const meta = { source: 'bench', correlation_id: 'v-sig-1', causation_id: null, user_id: null, version: '1.0' };
  if (i === 0) {
    return {
      event_id: ids.next(at),
      event_type: 'POSITION_OPENED',
      aggregate_type: 'position',
      aggregate_id: POSITION,
      payload: { position_id: POSITION, ticker: 'TK0', side: 'long', quantity: 100, entry_price: 10, signal_id: 'v-sig-1' },
      metadata: meta,
      created_at: at,
    };
  }
  if (i < AGGREGATE) {
    const price = Math.round((10 + Math.sin(i / 50) * 0.5) * 100) / 100;
    return {
      event_id: ids.next(at),
      event_type: 'POSITION_PRICE_UPDATED',
      aggregate_type: 'position',
      aggregate_id: POSITION,
      payload: {
        position_id: POSITION,
        new_price: price,
        new_unrealized_pnl: Math.round((price - 10) * 100 * 100) / 100,
        price_source: 'bar_close',
      },
      metadata: meta,
      created_at: at,
    };
  }
  const order = `v-ord-${Math.floor(i / 10)}`;
  return {
    event_id: ids.next(at),
    event_type: 'ORDER_PARTIALLY_FILLED',
    aggregate_type: 'order',
    aggregate_id: order,
    payload: { order_id: order, filled_quantity: 10, filled_price: 100 + (i % 97) / 10, commission: 0.05, trade_id: `t-${i}` },
    metadata: { ...meta, correlation_id: order },
    created_at: at,
  };
}

function prefill(file: string, count: number): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  const ids = new UuidV7Generator();
  for (let start = 0; start < count; start += 10_000) {
    const events: PreparedEvent[] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) events.push(event(i, ids));
    store.appendBatch(events);
  }
  store.connection.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

export async function viewerSuite(ctx: BenchContext): Promise<Figures> {
  const size = ctx.quick ? 200_000 : 1_000_000;
  const label = size >= 1_000_000 ? '1m' : `${size / 1000}k`;
  const file = join(ctx.dir, 'viewer.db');
  ctx.log(`prefilling a ${size.toLocaleString('en-US')}-event log with a ${AGGREGATE.toLocaleString('en-US')}-event aggregate`);
  prefill(file, size);
  const viewer = await openViewer({ file });
  const trials = ctx.quick ? 2 : 3;
  const open: number[] = [];
  const last: number[] = [];
  const end: number[] = [];
  const count: number[] = [];
  let steps = -1;
  let total = -1;
  let endRows = -1;
  let counted = -1;
  try {
    for (let t = 0; t < trials; t++) {
      open.push(
        await timeMsAsync(async () => {
          const page = await viewer.service.replayPage({ aggregateType: 'position', aggregateId: POSITION, from: 0, limit: WINDOW });
          steps = page.steps.length;
          total = page.total;
        }),
      );
      last.push(
        await timeMsAsync(() =>
          viewer.service.replayPage({ aggregateType: 'position', aggregateId: POSITION, from: Number.MAX_SAFE_INTEGER, limit: WINDOW }),
        ),
      );
      // "End" in a newest-first list: the first page read from the other side, one keyset read.
      end.push(
        await timeMsAsync(
          async () => (endRows = (await viewer.service.eventsPage({ filter: {}, limit: WINDOW, direction: 'forward' })).records.length),
        ),
      );
      count.push(
        await timeMsAsync(
          async () => (counted = (await viewer.service.eventsCount({ filter: { types: ['POSITION_PRICE_UPDATED'] } })).count),
        ),
      );
    }
  } finally {
    await viewer.close();
  }
  if (steps !== WINDOW || total !== AGGREGATE || endRows !== WINDOW || counted !== AGGREGATE - 1) {
    throw new Error(`viewer bench read wrong figures: ${steps} steps of ${total}, ${endRows} rows at the end, count ${counted}`);
  }
  return {
    'viewer.replay_100k_open_ms': {
      value: median(open),
      unit: 'ms',
      goal: '<= 1000 ms',
      note: `first ${WINDOW} steps with diffs of a ${AGGREGATE.toLocaleString('en-US')}-event position, via the viewer service; its last window (a rebuild + ${WINDOW} steps): ${Math.round(median(last))} ms`,
    },
    'viewer.events_1m_end_ms': {
      value: median(end),
      unit: 'ms',
      goal: '<= 1000 ms',
      note: `the end of a ${label}-event list (${WINDOW} rows); an exact count of one type: ${Math.round(median(count))} ms`,
    },
  };
}
