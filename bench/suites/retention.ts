import { copyFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ManualClock,
  prepareEvent,
  Rebuilder,
  ReducerRegistry,
  UuidV7Generator,
  type NewEvent,
  type PreparedEvent,
  type StoredEvent,
} from '../../src-core';
import { runArchive } from '../../src-core/archive/run-archive';
import { exportLog } from '../../src-core/export/export-log';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { median, rate, timeMs, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { T0 } from '../lib/fixtures';

const STEPS = ['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED'] as const;

/** An order's life in four events (~250 bytes of payload each); `orders` of them, one a minute. */
function orderEvents(orders: number): NewEvent[] {
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
function reducers(): ReducerRegistry {
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

function write(file: string, events: readonly PreparedEvent[]): void {
  const store = SqliteEventStore.open({ file, durability: 'normal' });
  try {
    for (let i = 0; i < events.length; i += 1000) store.appendBatch(events.slice(i, i + 1000));
  } finally {
    store.close();
  }
}

/**
 * Archiving against appending the same events (same run, trials interleaved), and the Parquet
 * export's speed and size against the SQLite file holding the same events.
 */
export async function retentionSuite(ctx: BenchContext): Promise<Figures> {
  const orders = ctx.quick ? 12_500 : 50_000;
  const trials = 3;
  const ids = new UuidV7Generator();
  const prepared = orderEvents(orders).map((e) => prepareEvent(e, { ids }));
  const total = prepared.length;
  const source = join(ctx.dir, 'retention-source.db');
  ctx.log(`retention: writing ${total.toLocaleString('en-US')} events (${orders.toLocaleString('en-US')} orders)`);
  write(source, prepared);
  // Everything but the last tenth of the orders has ended before the cutoff.
  const before = T0 + Math.floor(orders * 0.9) * 60_000;
  const clock = new ManualClock(T0);

  const archiveMs: number[] = [];
  const appendMs: number[] = [];
  let moved = 0;
  for (let t = 0; t < trials; t++) {
    ctx.log(`retention trial ${t + 1}/${trials}`);
    const live = join(ctx.dir, `live-${t}.db`);
    const target = join(ctx.dir, `archive-${t}.db`);
    copyFileSync(source, live);
    const reader = SqliteEventStore.open({ file: live, readOnly: true });
    const registry = reducers();
    const rebuilder = new Rebuilder(reader, reader, registry, undefined, { snapshots: { every: 0 } }, clock);
    archiveMs.push(
      await timeMsAsync(async () => {
        const outcome = await runArchive({
          liveFile: live,
          archiveFile: target,
          before,
          reader,
          rebuilder,
          reducers: registry,
          compact: false,
          now: T0,
          batchId: `bench-${t}`,
        });
        moved = outcome.events;
      }),
    );
    reader.close();
    // The same events appended to a fresh file: what writing them cost in the first place.
    const fresh = join(ctx.dir, `append-${t}.db`);
    const same = prepared.filter((e) => Number(e.aggregate_id.slice(4)) < Math.floor(orders * 0.9));
    if (same.length !== moved) throw new Error(`archive moved ${moved} events, expected ${same.length}`);
    appendMs.push(timeMs(() => write(fresh, same)));
    for (const f of [live, target, fresh]) for (const s of ['', '-wal', '-shm']) rmSync(`${f}${s}`, { force: true });
  }
  const archiveMed = median(archiveMs);
  const appendMed = median(appendMs);

  ctx.log('retention: Parquet export');
  const exportMs: number[] = [];
  let parquetBytes = 0;
  for (let t = 0; t < trials; t++) {
    const out = join(ctx.dir, `export-${t}`);
    const reader = SqliteEventStore.open({ file: source, readOnly: true });
    exportMs.push(
      await timeMsAsync(async () => {
        const result = await exportLog({ reader, format: 'parquet', outDir: out });
        parquetBytes = result.tables.reduce((n, table) => n + table.bytes, 0);
      }),
    );
    reader.close();
    if (t < trials - 1) rmSync(out, { recursive: true, force: true });
  }
  const sqliteBytes = statSync(source).size;
  const exported = readdirSync(join(ctx.dir, `export-${trials - 1}`)).length;
  return {
    'archive.events_per_s': {
      value: rate(moved, archiveMed),
      unit: 'events/s',
      note: `${moved.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events moved (plan by rebuild, copy, SHA-256 verify both sides, delete); VACUUM not included`,
    },
    'archive.vs_append': {
      value: archiveMed,
      unit: 'ms',
      ratio: archiveMed / appendMed,
      baseline: 'appending the same events to a fresh file (batches of 1,000), same run, interleaved',
      goal: '<= 3',
    },
    'export.parquet_events_per_s': {
      value: rate(total, median(exportMs)),
      unit: 'events/s',
      note: `${exported} tables (one per event type), typed columns, one row group per 10,000 events`,
    },
    'export.parquet_size_ratio': {
      value: parquetBytes / 1024 / 1024,
      unit: 'MB',
      ratio: parquetBytes / sqliteBytes,
      baseline: `the SQLite file holding the same events (${(sqliteBytes / 1024 / 1024).toFixed(1)} MB)`,
      goal: '<= 0.5',
    },
  };
}
