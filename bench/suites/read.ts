import { join } from 'node:path';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { prefill, T0 } from '../lib/fixtures';
import { median, timeMs, type BenchContext, type Figures } from '../lib/figures';

/** Reads on a large log, opened read-only as the CLI and viewer open it. */
export function readSuite(ctx: BenchContext, shared: { bigLog?: string }): Figures {
  const size = ctx.quick ? 200_000 : 1_000_000;
  const file = shared.bigLog ?? join(ctx.dir, 'read.db');
  if (!shared.bigLog) {
    ctx.log(`prefilling ${size.toLocaleString('en-US')} events for reads`);
    prefill(file, size);
    shared.bigLog = file;
  }
  const store = SqliteEventStore.open({ file, readOnly: true });
  const head = store.headPositionSync();
  const reps = 200;
  const trials = 5;
  const first: number[] = [];
  const last: number[] = [];
  const corr: number[] = [];
  const range: number[] = [];
  let rows = 0;
  for (let t = 0; t < trials; t++) {
    first.push(
      timeMs(() => {
        for (let i = 0; i < reps; i++) rows += store.readPageSync({}, { limit: 100 }).records.length;
      }) / reps,
    );
    last.push(
      timeMs(() => {
        for (let i = 0; i < reps; i++) rows += store.readPageSync({}, { after: head - 100, limit: 100 }).records.length;
      }) / reps,
    );
    corr.push(
      timeMs(() => {
        for (let i = 0; i < 20; i++)
          rows += store.readPageSync(
            { correlationId: `corr-${String(Math.floor((size / 50) * (i / 20))).padStart(9, '0')}` },
            { limit: 100 },
          ).records.length;
      }) / 20,
    );
    const mid = T0 + Math.floor(size / 2);
    range.push(
      timeMs(() => {
        for (let i = 0; i < reps; i++) rows += store.readPageSync({ since: mid, until: mid + 10_000 }, { limit: 100 }).records.length;
      }) / reps,
    );
  }
  store.close();
  if (rows === 0) throw new Error('reads returned nothing');
  const f = median(first);
  const label = size >= 1_000_000 ? '1M' : `${size / 1000}k`;
  return {
    'read.first_page': { value: f, unit: 'ms/page', note: `100 events, ${label}-event log` },
    'read.keyset_last_vs_first': {
      value: median(last),
      unit: 'ms/page',
      ratio: median(last) / f,
      baseline: 'read.first_page',
      goal: '<= 2',
    },
    'read.by_correlation': {
      value: median(corr),
      unit: 'ms/query',
      ratio: median(corr) / f,
      baseline: 'read.first_page',
      note: '50 events per correlation id, spread over the log',
    },
    'read.by_time_range': { value: median(range), unit: 'ms/page', ratio: median(range) / f, baseline: 'read.first_page' },
  };
}
