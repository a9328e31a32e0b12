/**
 * `npm run bench [-- --quick] [-- --json] [-- --only append,read]`
 * Every figure is a ratio against a baseline measured in the same run: these machines are
 * shared and noisy, so absolute numbers from different runs do not compare.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { renderTable, type BenchContext, type Figures } from './lib/figures';
import { appendSuite } from './suites/append';
import { hooksSuite } from './suites/hooks';
import { memorySuite } from './suites/memory';
import { readSuite } from './suites/read';
import { rebuildSuite } from './suites/rebuild';
import { forwardSuite } from './suites/forward';
import { analyticsSuite } from './suites/analytics';
import { packageSuite } from './suites/package';
import { viewerSuite } from './suites/viewer';
import { verifySuite } from './suites/verify';
import { retentionSuite } from './suites/retention';

const program = new Command()
  .name('bench')
  .option('--quick', 'smaller sizes: the whole run takes under two minutes')
  .option('--json', 'print one JSON object {"figures": {...}} on stdout')
  .option('--only <suites>', 'comma-separated: append,rebuild,read,hooks,memory,forward,verify')
  .parse();
const opts = program.opts<{ quick?: boolean; json?: boolean; only?: string }>();

const suites: Record<string, (ctx: BenchContext, shared: { bigLog?: string }) => Figures | Promise<Figures>> = {
  append: appendSuite,
  rebuild: rebuildSuite,
  read: readSuite,
  hooks: hooksSuite,
  memory: memorySuite,
  forward: forwardSuite,
  analytics: analyticsSuite,
  package: packageSuite,
  viewer: viewerSuite,
  verify: verifySuite,
  retention: retentionSuite,
};
const selected = opts.only ? opts.only.split(',').map((s) => s.trim()) : Object.keys(suites);

const root = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const figures: Figures = {};
const shared: { bigLog?: string } = {};
const started = Date.now();
try {
  for (const name of selected) {
    const suite = suites[name];
    if (!suite) throw new Error(`unknown suite '${name}' (known: ${Object.keys(suites).join(', ')})`);
    log(`suite ${name}${opts.quick ? ' (quick)' : ''}`);
    // A fresh directory per suite, removed after it (unless it holds the shared log): a suite
    // that runs late must not measure beside the gigabytes of logs the earlier ones wrote.
    const dir = mkdtempSync(join(root, `${name}-`));
    Object.assign(figures, await suite({ quick: !!opts.quick, dir, log }, shared));
    if (!shared.bigLog?.startsWith(dir)) rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const meta = { quick: !!opts.quick, seconds: Math.round((Date.now() - started) / 1000), node: process.version };
if (opts.json) {
  process.stdout.write(JSON.stringify({ figures, meta }, null, 2) + '\n');
} else {
  process.stdout.write(renderTable(figures) + '\n');
  process.stdout.write(`\n${meta.quick ? 'quick' : 'full'} run, ${meta.seconds} s, node ${meta.node}\n`);
}
