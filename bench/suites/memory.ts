import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { BenchContext, Figures } from '../lib/figures';

function peakRssMb(file: string, count: number): number {
  const out = execFileSync('node_modules/.bin/tsx', ['bench/workers/memory-worker.ts', file, String(count)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return (JSON.parse(out.trim().split('\n').pop()!) as { maxRssKb: number }).maxRssKb / 1024;
}

/** Peak RSS of a process appending in buffered mode: 10x the events should not mean 10x the memory. */
export function memorySuite(ctx: BenchContext): Figures {
  const small = ctx.quick ? 20_000 : 100_000;
  const big = ctx.quick ? 200_000 : 1_000_000;
  ctx.log(`memory: ${small.toLocaleString('en-US')} then ${big.toLocaleString('en-US')} buffered appends in a child process`);
  const a = peakRssMb(join(ctx.dir, 'mem-small.db'), small);
  const b = peakRssMb(join(ctx.dir, 'mem-big.db'), big);
  const label = big >= 1_000_000 ? '1m' : `${big / 1000}k`;
  return {
    [`memory.buffered_peak_rss_${label}`]: {
      value: b,
      unit: 'MB',
      ratio: b / a,
      baseline: `peak RSS appending ${small.toLocaleString('en-US')} events`,
      note: 'queue bounded at 10,000 events',
    },
  };
}
