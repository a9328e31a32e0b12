import { join } from 'node:path';
import type { CatalystPlugin, StoredEvent } from '../../src-core';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { median, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { z } from 'zod';

/** A ledger whose state stays the same size however long its history: what snapshots are for. */
interface Ledger {
  balance: number;
  entries: number;
  last: number | null;
}
const ledgerPlugin: CatalystPlugin = {
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
      initialState: () => ({ balance: 0, entries: 0, last: null }),
      reduce: (s, e: StoredEvent) => ({
        balance: s.balance + (e.payload.amount as number),
        entries: s.entries + 1,
        last: e.created_at,
      }),
    });
  },
};

function fillLedger(file: string, id: string, count: number): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  for (let start = 0; start < count; start += 10_000) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      batch.push({ event_type: 'LEDGER_POSTED', aggregate_type: 'ledger', aggregate_id: id, payload: { amount: (i % 7) - 3 }, created_at: 1_767_225_600_000 + i });
    }
    store.appendBatch(batch);
  }
  store.close();
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
    await plain.close();
    // Take a snapshot at the head, then let 50 more events arrive after it.
    const snap = await createCatalyst({ db: file, snapshots: { every: 100 } }, { plugins: [ledgerPlugin] });
    const first = await snap.rebuilder.rebuild('ledger', 'acct');
    if (!first.snapshot.written) throw new Error('expected the first rebuild to write a snapshot');
    for (let i = 0; i < 50; i++) snap.store.append({ event_type: 'LEDGER_POSTED', aggregate_type: 'ledger', aggregate_id: 'acct', payload: { amount: 1 } });
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
