/**
 * The package as installed: how fast the compiled CLI starts, and how soon `serve` shows its
 * first page, from `npm pack` + `npm install` into a fresh project.
 *
 * Set CATALYST_BENCH_INSTALL to a project that has catalyst-events installed to skip the pack
 * and install (the consumer suite keeps its project with CATALYST_KEEP_CONSUMER=1). Otherwise
 * the tarball is installed with --ignore-scripts and this repository's compiled better-sqlite3
 * (same version, same Node) is copied in: the native build is not what is measured here.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type BenchContext, type Figures } from '../lib/figures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !key.startsWith('CATALYST_EVENTS_')));
}

function versionOf(dir: string, name: string): string {
  return (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** A fresh project with the packed package installed; returns its folder. */
function install(ctx: BenchContext): string {
  const given = process.env.CATALYST_BENCH_INSTALL;
  if (given) {
    if (!existsSync(join(given, 'node_modules/.bin/catalyst-events')))
      throw new Error(`CATALYST_BENCH_INSTALL=${given} has no node_modules/.bin/catalyst-events`);
    return given;
  }
  const env = cleanEnv();
  const packDir = join(ctx.dir, 'pack');
  mkdirSync(packDir, { recursive: true });
  ctx.log('npm pack (builds dist/)');
  execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
  );
  const project = join(ctx.dir, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), '{ "name": "bench-bot", "private": true, "type": "module" }\n');
  ctx.log('npm install of the tarball');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
    cwd: project,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (versionOf(project, 'better-sqlite3') === versionOf(ROOT, 'better-sqlite3')) {
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(project, 'node_modules/better-sqlite3/build'), { recursive: true });
  } else {
    ctx.log("better-sqlite3 differs from this repository's: compiling it (minutes)");
    execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: project, env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return project;
}

function wallMs(command: string, args: readonly string[], cwd: string): number {
  const t0 = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr)}`);
  return ms;
}

/** From spawning `serve` to the first page's body received, in ms. */
async function firstPageMs(bin: string, db: string, cwd: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const child = spawn(bin, ['serve', '--db', db, '--port', '0'], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!(url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)?.[1])) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not print its URL: ${output}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200 || !html.includes('<html')) throw new Error(`serve answered ${page.status}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await exited;
    }
  }
}

export async function packageSuite(ctx: BenchContext): Promise<Figures> {
  const project = install(ctx);
  const bin = join(project, 'node_modules/.bin/catalyst-events');
  const db = join(ctx.dir, 'serve.db');
  // A small log for serve to open (the viewer's first page does not depend on its size).
  const seed = `import { createCatalyst } from 'catalyst-events';
import order from 'catalyst-events/plugins/order';
const c = await createCatalyst({ db: ${JSON.stringify(db)} }, { plugins: [order] });
for (let i = 0; i < 100; i++) c.emitter.emit({ event_type: 'ORDER_SUBMITTED', aggregate_type: 'order', aggregate_id: 'o-' + i, payload: { order_id: 'o-' + i, ticker: 'AAPL', side: 'buy', quantity: 1, order_type: 'market' } });
await c.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', seed], { cwd: project, env: cleanEnv() });

  const rounds = ctx.quick ? 7 : 21;
  const node: number[] = [];
  const cli: number[] = [];
  wallMs(bin, ['--version'], project); // warm the file cache for both
  wallMs(process.execPath, ['-e', '0'], project);
  for (let i = 0; i < rounds; i++) {
    // Interleaved, so a load change on this shared machine hits both alike.
    node.push(wallMs(process.execPath, ['-e', '0'], project));
    cli.push(wallMs(bin, ['--version'], project));
  }
  const pages: number[] = [];
  for (let i = 0; i < (ctx.quick ? 3 : 7); i++) pages.push(await firstPageMs(bin, db, project));
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const nodeMs = median(node);
  const cliMs = median(cli);
  return {
    'cli.startup_vs_node': {
      value: cliMs,
      unit: 'ms',
      ratio: cliMs / nodeMs,
      baseline: `node -e 0 (${nodeMs.toFixed(0)} ms)`,
      goal: '<= 1.5',
      note: `catalyst-events --version from an install, median of ${rounds} interleaved runs; load ${load}`,
    },
    'serve.first_page_ms': {
      value: median(pages),
      unit: 'ms',
      goal: '<= 1000 ms',
      note: `spawn of catalyst-events serve to the first page's body, median of ${pages.length}; load ${load}`,
    },
  };
}
