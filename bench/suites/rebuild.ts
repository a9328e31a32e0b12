import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CatalystPlugin, LeanEvent } from '../../src-core';
import { prepareEvent } from '../../src-core/emitter/prepare';
import positionPlugin from '../../src-plugins/position';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { median, timeMs, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { z } from 'zod';

/** A ledger whose state stays the same size however long its history: what snapshots are for. */
interface Ledger {
  balance: number;
  entries: number;
  last: number | null;
}
/**
 * `leanEvents`: the reducer declares it reads no metadata or position, as a plugin whose fold
 * reads neither should (the built-in ones do), so a rebuild reads neither column. Without
 * it (the `_whole_rows` figures) every row is read whole.
 */
function ledger(leanEvents: boolean): CatalystPlugin {
  return {
    name: 'bench-ledger',
    version: '1.0.0',
    coreApi: '^1.0.0',
    register(ctx) {
      ctx.schemas.register({
        eventType: 'LEDGER_POSTED',
        aggregateType: 'ledger',
        version: '1.0',
        payload: z.looseObject({ amount: z.number() }),
      });
      ctx.reducers.register<Ledger>({
        aggregateType: 'ledger',
        version: 1,
        leanEvents,
        initialState: () => ({ balance: 0, entries: 0, last: null }),
        reduce: post,
      });
    },
  };
}
const ledgerPlugin = ledger(true);

/** The ledger's fold: it reads the payload and the time, nothing else. */
function post(s: Ledger, e: LeanEvent): Ledger {
  return { balance: s.balance + (e.payload.amount as number), entries: s.entries + 1, last: e.created_at };
}

function fillLedger(file: string, id: string, count: number): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  for (let start = 0; start < count; start += 10_000) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      batch.push(
        prepareEvent({
          event_type: 'LEDGER_POSTED',
          aggregate_type: 'ledger',
          aggregate_id: id,
          payload: { amount: (i % 7) - 3 },
          created_at: 1_767_225_600_000 + i,
        }),
      );
    }
    store.appendBatch(batch);
  }
  store.close();
}

/** One open position marked to market `count - 1` times: the aggregate a long-running bot grows. */
function fillPosition(file: string, id: string, count: number): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  const t0 = 1_767_225_600_000;
  const entry = 100;
  const quantity = 10;
  store.appendBatch([
    prepareEvent({
      event_type: 'POSITION_OPENED',
      aggregate_type: 'position',
      aggregate_id: id,
      payload: {
        position_id: id,
        ticker: 'ACME',
        side: 'long',
        quantity,
        entry_price: entry,
        stop_loss_price: 90,
        take_profit_price: 130,
        commission: 1,
      },
      created_at: t0,
    }),
  ]);
  let last = entry;
  for (let start = 1; start < count; start += 10_000) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      const price = 100 + ((i * 7) % 2000) / 100;
      batch.push(
        prepareEvent({
          event_type: 'POSITION_PRICE_UPDATED',
          aggregate_type: 'position',
          aggregate_id: id,
          payload: {
            position_id: id,
            old_price: last,
            new_price: price,
            old_unrealized_pnl: (last - entry) * quantity,
            new_unrealized_pnl: (price - entry) * quantity,
            price_source: 'feed',
          },
          metadata: { source: 'bench', correlation_id: `corr-${Math.floor(i / 50)}` },
          created_at: t0 + i,
        }),
      );
      last = price;
    }
    store.appendBatch(batch);
  }
  store.close();
}

/** What a reader without us does: SELECT the payloads in order, JSON.parse each, keep a running fold. */
function rawScan(file: string, type: string, id: string, fold: (acc: number, payload: Record<string, unknown>) => number): number {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT payload FROM event_log WHERE aggregate_type = ? AND aggregate_id = ? ORDER BY sequence_number').pluck();
    let acc = 0;
    for (const text of rows.iterate(type, id) as Iterable<string>) acc = fold(acc, JSON.parse(text) as Record<string, unknown>);
    return acc;
  } finally {
    db.close();
  }
}

const lastPrice = (acc: number, p: Record<string, unknown>): number => (typeof p.new_price === 'number' ? p.new_price : acc);
const sumAmounts = (acc: number, p: Record<string, unknown>): number => acc + (p.amount as number);

/**
 * Our rebuild (no snapshot) against the raw scan of the same rows, interleaved A/B/A/B so a
 * noisy neighbour slows both alike; the ratio of the medians.
 */
async function versusRawScan(rebuild: () => Promise<unknown>, raw: () => unknown, trials: number): Promise<{ ours: number; raw: number }> {
  const ours: number[] = [];
  const scans: number[] = [];
  for (let t = 0; t < trials; t++) {
    ours.push(await timeMsAsync(rebuild));
    scans.push(timeMs(() => void raw()));
  }
  return { ours: median(ours), raw: median(scans) };
}

/**
 * One aggregate with 1k, 100k and 1M events of history, rebuilt with and without a
 * snapshot (policy: every 100 events, so a rebuild folds the snapshot plus < 100 events).
 */
export async function rebuildSuite(ctx: BenchContext): Promise<Figures> {
  const sizes = ctx.quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];
  const figures: Figures = {};
  const withSnapshot: Record<number, number> = {};
  for (const size of sizes) {
    const file = join(ctx.dir, `rebuild-${size}.db`);
    ctx.log(`rebuild: ${size.toLocaleString('en-US')} events of history`);
    fillLedger(file, 'acct', size - 50);
    const plain = await createCatalyst({ db: file, snapshots: { every: 0 } }, { plugins: [ledgerPlugin] });
    const cold: number[] = [];
    for (let t = 0; t < (size >= 1_000_000 ? 1 : 3); t++) {
      cold.push(await timeMsAsync(() => plain.rebuilder.rebuild('ledger', 'acct')));
    }
    if (size >= 100_000) {
      const label = size >= 1_000_000 ? '1m' : `${size / 1000}k`;
      const vs = await versusRawScan(
        () => plain.rebuilder.rebuild('ledger', 'acct'),
        () => rawScan(file, 'ledger', 'acct', sumAmounts),
        size >= 1_000_000 ? 3 : 5,
      );
      figures[`rebuild.no_snapshot_${label}_vs_raw_scan`] = {
        value: vs.ours,
        unit: 'ms',
        ratio: vs.ours / vs.raw,
        goal: '<= 1.5',
        note: `leanEvents reducer; raw SELECT + JSON.parse + sum of the same rows: ${vs.raw.toFixed(0)} ms`,
      };
      // The same fold without the declaration: what a reducer that may read metadata costs.
      const wholeRows = await createCatalyst({ db: file, snapshots: { every: 0 } }, { plugins: [ledger(false)] });
      const whole = await versusRawScan(
        () => wholeRows.rebuilder.rebuild('ledger', 'acct'),
        () => rawScan(file, 'ledger', 'acct', sumAmounts),
        size >= 1_000_000 ? 3 : 5,
      );
      await wholeRows.close();
      figures[`rebuild.no_snapshot_${label}_whole_rows_vs_raw_scan`] = {
        value: whole.ours,
        unit: 'ms',
        ratio: whole.ours / whole.raw,
        note: `the ledger without leanEvents (metadata parsed, position joined); raw: ${whole.raw.toFixed(0)} ms`,
      };
    }
    await plain.close();
    // Take a snapshot at the head, then let 50 more events arrive after it.
    const snap = await createCatalyst({ db: file, snapshots: { every: 100 } }, { plugins: [ledgerPlugin] });
    const first = await snap.rebuilder.rebuild('ledger', 'acct');
    if (!first.snapshot.written) throw new Error('expected the first rebuild to write a snapshot');
    for (let i = 0; i < 50; i++)
      snap.store.append(
        prepareEvent({ event_type: 'LEDGER_POSTED', aggregate_type: 'ledger', aggregate_id: 'acct', payload: { amount: 1 } }),
      );
    const warm: number[] = [];
    for (let t = 0; t < 20; t++) {
      warm.push(
        await timeMsAsync(async () => {
          const r = await snap.rebuilder.rebuild<Ledger>('ledger', 'acct');
          if (!r.fromSnapshot || r.state.entries !== size) throw new Error('snapshot rebuild went wrong');
        }),
      );
    }
    await snap.close();
    const label = size >= 1_000_000 ? '1m' : `${size / 1000}k`;
    withSnapshot[size] = median(warm);
    figures[`rebuild.no_snapshot_${label}`] = { value: median(cold), unit: 'ms' };
    figures[`rebuild.snapshot_${label}`] = { value: median(warm), unit: 'ms' };
  }
  {
    const size = 100_000;
    const file = join(ctx.dir, 'rebuild-position.db');
    ctx.log(`rebuild: one position with ${size.toLocaleString('en-US')} events`);
    fillPosition(file, 'pos-1', size);
    const catalyst = await createCatalyst({ db: file, snapshots: { every: 0 } }, { plugins: [positionPlugin] });
    const first = await catalyst.rebuilder.rebuild<{ current_price: number }>('position', 'pos-1');
    const expected = rawScan(file, 'position', 'pos-1', lastPrice);
    if (first.eventsApplied !== size || first.state.current_price !== expected) throw new Error('the position rebuild went wrong');
    const vs = await versusRawScan(
      () => catalyst.rebuilder.rebuild('position', 'pos-1'),
      () => rawScan(file, 'position', 'pos-1', lastPrice),
      5,
    );
    await catalyst.close();
    figures[`rebuild.position_${size / 1000}k_vs_raw_scan`] = {
      value: vs.ours,
      unit: 'ms',
      ratio: vs.ours / vs.raw,
      goal: '<= 1.5',
      note: `position plugin's reducer; raw SELECT + JSON.parse + last price of the same rows: ${vs.raw.toFixed(0)} ms`,
    };
  }
  const big = sizes[sizes.length - 1]!;
  const bigLabel = big >= 1_000_000 ? '1m' : `${big / 1000}k`;
  figures[`rebuild.snapshot_${bigLabel}_vs_1k`] = {
    value: withSnapshot[big]!,
    unit: 'ms',
    ratio: withSnapshot[big]! / withSnapshot[1_000]!,
    baseline: 'rebuild.snapshot_1k',
    goal: '<= 2',
  };
  return figures;
}
