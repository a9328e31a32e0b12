/**
 * The package as a user gets it: `npm pack`, one install of the tarball into a fresh project,
 * then every way a bot developer uses it. Slow by nature (the install compiles better-sqlite3),
 * so every scenario shares that one install.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, folderBytes, ROOT, run, start, waitFor, type ConsumerProject, type Run } from './support/consumer-project';

let project: ConsumerProject;
const node = process.execPath;
// Generous: these machines are shared, and tsc with skipLibCheck off checks every .d.ts it meets.
const SLOW = 5 * 60_000;
const CHILD = 2 * 60_000;

beforeAll(async () => {
  project = await createConsumerProject();
  const modules = folderBytes(join(project.dir, 'node_modules'));
  // Figures for the record (the closing note); nothing here is a timing assertion.
  process.stderr.write(
    `consumer: tarball ${statSync(project.tarball).size} bytes; pack ${project.packSeconds.toFixed(0)} s, install ${project.installSeconds.toFixed(0)} s; node_modules ${(modules / 1e6).toFixed(1)} MB\n`,
  );
}, 25 * 60_000);

afterAll(() => {
  if (project && !process.env.CATALYST_KEEP_CONSUMER && !process.env.CATALYST_CONSUMER_REUSE) project.cleanup();
});

const dbIn = (name: string) => join(project.dir, `${name}.db`);

/** What every bot prints: the order and position it made through decorated methods, and the order it emitted directly. */
function expectBotResult(result: Run): void {
  expect(result.stderr).not.toMatch(/reflect-metadata|Decorators are not valid|ERR_/);
  expect(result.code, result.stderr).toBe(0);
  const line = result.stdout.trim().split('\n').at(-1)!;
  expect(JSON.parse(line)).toEqual({
    order: { status: 'filled', filled: 10 },
    position: { status: 'closed', realized_pnl: 100 },
    direct: { status: 'submitted' },
  });
}

describe('a bot in a fresh project', () => {
  it(
    'plain Node ESM (node bot.mjs, applyHooks instead of decorator syntax)',
    async () => {
      expectBotResult(await run(node, ['bot.mjs', dbIn('esm')], project.dir));
    },
    CHILD,
  );

  it(
    'CommonJS (require), with the buffered emitter and its writer thread',
    async () => {
      expectBotResult(await run(node, ['bot.cjs', dbIn('cjs')], project.dir));
    },
    CHILD,
  );

  for (const [mode, tsconfig] of [
    ['standard (TC39) decorators', 'tsconfig.standard.json'],
    ['experimentalDecorators', 'tsconfig.legacy.json'],
  ] as const) {
    it(
      `TypeScript with ${mode}: tsc (nodenext, strict, exactOptionalPropertyTypes, skipLibCheck off) then node`,
      async () => {
        const tsc = await run(join(project.dir, 'node_modules/.bin/tsc'), ['-p', tsconfig], project.dir, SLOW);
        expect(tsc.stdout + tsc.stderr).toBe('');
        expect(tsc.code).toBe(0);
        const out = (JSON.parse(readFileSync(join(project.dir, tsconfig), 'utf8')) as { compilerOptions: { outDir: string } })
          .compilerOptions.outDir;
        expectBotResult(await run(node, [join(out, 'bot.js'), dbIn(tsconfig)], project.dir));
      },
      SLOW,
    );
  }

  it(
    'a writer that outgrows its WAL has it copied by the packaged checkpointer thread',
    async () => {
      const result = await run(node, ['checkpoints.mjs', dbIn('checkpoints')], project.dir);
      expect(result.code, result.stderr).toBe(0);
      const { ran, written, total } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      expect(ran).toBeGreaterThanOrEqual(1);
      expect(written).toBeLessThan(400_000);
      expect(total).toBe(written);
    },
    CHILD,
  );

  it(
    'TypeScript run with tsx',
    async () => {
      expectBotResult(await run(join(project.dir, 'node_modules/.bin/tsx'), ['bot.ts', dbIn('tsx')], project.dir));
    },
    CHILD,
  );
});

describe('the installed CLI', () => {
  let db: string;
  beforeAll(async () => {
    db = dbIn('cli');
    expectBotResult(await run(node, ['bot.mjs', db], project.dir));
  }, CHILD);

  it('is compiled JavaScript with a node shebang (no tsx at run time)', () => {
    const manifest = JSON.parse(readFileSync(join(project.dir, 'node_modules/catalyst-events/package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    const bin = join(project.dir, 'node_modules/catalyst-events', manifest.bin['catalyst-events']!);
    expect(bin).toMatch(/\.mjs$/);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(existsSync(join(project.dir, 'node_modules/electron'))).toBe(false);
    expect(existsSync(join(project.dir, 'node_modules/pg'))).toBe(false);
  });

  it(
    'answers --help and --version',
    async () => {
      const help = await run(project.bin, ['--help'], project.dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: catalyst-events/);
      for (const command of ['events', 'show', 'verify', 'serve']) expect(help.stdout).toContain(command);
      const version = await run(project.bin, ['--version'], project.dir);
      expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    },
    CHILD,
  );

  it(
    'lists events, shows an order, verifies the log',
    async () => {
      const events = await run(project.bin, ['events', '--db', db, '--ndjson'], project.dir);
      expect(events.code, events.stderr).toBe(0);
      const types = events.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event_type: string }).event_type);
      expect(types).toEqual(
        expect.arrayContaining(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_FILLED', 'POSITION_OPENED', 'POSITION_CLOSED']),
      );

      const show = await run(project.bin, ['show', 'order', 'o-1', '--db', db], project.dir);
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toMatch(/filled/);

      const verify = await run(project.bin, ['verify', '--db', db], project.dir);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    },
    CHILD,
  );

  it(
    'forward without pg installed says in one line how to add it',
    async () => {
      const forward = await run(project.bin, ['forward', '--db', db, '--to', 'postgres://user:secret@127.0.0.1:1/none'], project.dir);
      expect(forward.code).not.toBe(0);
      expect(forward.stderr).toContain('npm install pg');
      expect(forward.stderr).not.toContain('secret');
      expect(forward.stderr.trim().split('\n')).toHaveLength(1);
    },
    CHILD,
  );

  it(
    'serve returns the viewer page and an API answer over loopback, with no Vite installed',
    async () => {
      expect(existsSync(join(project.dir, 'node_modules/vite'))).toBe(false);
      const server = start(project.bin, ['serve', '--db', db, '--port', '0'], project.dir);
      try {
        const url = await waitFor(
          () => /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(server.output())?.[1],
          `serve's URL (output: ${server.output()})`,
          60_000,
        );
        const page = await fetch(url);
        expect(page.status).toBe(200);
        const html = await page.text();
        expect(html).toContain('<div id="app"');
        const token = new URL(url).searchParams.get('token')!;
        const info = await fetch(new URL('/api/query/info', url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': token },
          body: '{}',
        });
        expect(info.status).toBe(200);
        expect(await info.json()).toMatchObject({ ok: true });
      } finally {
        expect(await server.stop()).toBe(0);
      }
    },
    CHILD,
  );
});

describe('the tarball', () => {
  it(
    'passes publint and @arethetypeswrong/cli (node16 and bundler resolution) with no errors',
    async () => {
      const publint = await run(join(ROOT, 'node_modules/.bin/publint'), ['run', project.tarball, '--strict'], ROOT);
      expect(publint.code, publint.stdout + publint.stderr).toBe(0);
      const attw = await run(join(ROOT, 'node_modules/.bin/attw'), [project.tarball, '--profile', 'node16', '--format', 'ascii'], ROOT);
      expect(attw.code, attw.stdout + attw.stderr).toBe(0);
    },
    CHILD,
  );

  it('ships what a user runs and nothing else', async () => {
    const listing = await run('tar', ['-tzf', project.tarball], ROOT);
    const files = listing.stdout.trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/LICENSE',
        'package/README.md',
        'package/CHANGELOG.md',
        'package/dist/config.schema.json',
        'package/dist/writer-thread.mjs',
        'package/dist/reader-thread.mjs',
        'package/dist/wal-checkpointer.mjs',
        'package/dist/viewer/index.html',
      ]),
    );
    expect(files.filter((f) => /^package\/(test|bench|\.ci|src-|examples)/.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.mts') && !f.endsWith('.d.cts'))).toEqual([]);
  });
});
