import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { prefill } from '../lib/fixtures';
import { median, runWorker, type BenchContext, type Figures } from '../lib/figures';
import { manyAggregatesEvent } from './append';

interface Run {
  ms: number;
  events: number;
  maxRssMb: number;
}

/** `node --import tsx`: the measured process is the one that runs the script (no tsx grandchild). */
function run(file: string, mode: 'verify' | 'stats' | 'scan'): Run {
  return runWorker<Run>('inspect-worker.ts', [file, mode]);
}

/** The built CLI's `verify` (what an installed package runs): its peak RSS in MB. */
function cliVerifyRss(file: string): number {
  const out = spawnSync(process.execPath, ['bench/workers/cli-rss.mjs', 'verify', '--db', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`the built CLI's verify failed (${out.status}): ${out.stderr.slice(0, 400)}`);
  return (JSON.parse(out.stderr.trim().split('\n').pop()!) as { maxRssMb: number }).maxRssMb;
}

/**
 * `verify` and `stats` against one keyset scan of the same log (readPage by 1,000, parsed):
 * each in its own process, trials interleaved scan/verify/stats, so a noisy neighbour hits
 * all three alike. verify's peak RSS is the process's own.
 */
export function verifySuite(ctx: BenchContext): Figures {
  const count = ctx.quick ? 200_000 : 1_000_000;
  const trials = 3;
  const file = join(ctx.dir, 'verify.db');
  ctx.log(`verify: prefilling ${count.toLocaleString('en-US')} events over ~1,000 aggregates`);
  prefill(file, count, manyAggregatesEvent);
  const scan: Run[] = [];
  const verify: Run[] = [];
  const stats: Run[] = [];
  const cliRss: number[] = [];
  ctx.log('verify: building the CLI (npm run build)');
  execFileSync('npm', ['run', '-s', 'build'], { stdio: 'ignore' });
  for (let t = 0; t < trials; t++) {
    ctx.log(`verify trial ${t + 1}/${trials}`);
    scan.push(run(file, 'scan'));
    verify.push(run(file, 'verify'));
    stats.push(run(file, 'stats'));
    cliRss.push(cliVerifyRss(file));
  }
  for (const r of [...scan, ...verify, ...stats]) {
    if (r.events !== count) throw new Error(`a run saw ${r.events} of ${count} events`);
  }
  const scanMs = median(scan.map((r) => r.ms));
  const verifyMs = median(verify.map((r) => r.ms));
  const statsMs = median(stats.map((r) => r.ms));
  const label = count >= 1_000_000 ? '1m' : `${count / 1000}k`;
  return {
    [`verify.${label}_vs_scan`]: {
      value: verifyMs,
      unit: 'ms',
      ratio: verifyMs / scanMs,
      baseline: 'one keyset scan (readPage by 1,000, parsed)',
      goal: '<= 3',
      note: `${count.toLocaleString('en-US')} events; schema check per event, sequence scan, quick_check, corrupt rows`,
    },
    [`verify.peak_rss_mb_${label}`]: {
      value: median(cliRss),
      unit: 'MB',
      ratio: median(cliRss) / median(scan.map((r) => r.maxRssMb)),
      baseline: 'peak RSS of the keyset scan process (from sources, under tsx)',
      goal: '<= 150 MB',
      note: `whole process of the built CLI (node dist/bin/catalyst-events.mjs verify), what an installed package runs; verify from sources under tsx: ${median(verify.map((r) => r.maxRssMb)).toFixed(0)} MB`,
    },
    [`stats.${label}_vs_scan`]: {
      value: statsMs,
      unit: 'ms',
      ratio: statsMs / scanMs,
      baseline: 'one keyset scan (readPage by 1,000, parsed)',
      goal: '<= 1.2',
    },
  };
}
