/**
 * One packed tarball installed into one fresh project, shared by every consumer scenario:
 * the install compiles better-sqlite3 from source (1-4 minutes here), so it happens once.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment for child npm/node processes: without the npm_* variables of the `npm test`
 * that started us (npm_config_local_prefix would point a nested npm at this repository).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key.startsWith('VITEST') || key.startsWith('CATALYST_EVENTS_') || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', COLUMNS: '100', ...extra };
}

export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 120_000,
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv(extraEnv), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Throws with the command's output when it failed: a setup step that fails says why. */
export async function must(command: string, args: readonly string[], cwd: string, timeoutMs?: number): Promise<Run> {
  const result = await run(command, args, cwd, timeoutMs);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return result;
}

/** The version this repository's lock installed, so the consumer gets the same tools offline-cached. */
function devVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

export interface ConsumerProject {
  /** The fresh project (its package.json, node_modules and the bots). */
  dir: string;
  tarball: string;
  /** Wall-clock seconds of `npm pack` and of `npm install`. */
  packSeconds: number;
  installSeconds: number;
  bin: string;
  cleanup(): void;
}

/**
 * `npm pack` this repository (prepack builds dist/), then one `npm install` of the tarball
 * into a fresh project, with the tools a bot developer brings (typescript, @types/node, tsx).
 */
export async function createConsumerProject(): Promise<ConsumerProject> {
  const work = mkdtempSync(join(tmpdir(), 'catalyst-consumer-'));
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  let started = Date.now();
  await must('npm', ['pack', '--pack-destination', packDir], ROOT, 10 * 60_000);
  const packSeconds = (Date.now() - started) / 1000;
  const tarball = join(
    packDir,
    readdirSync(packDir).find((f) => f.endsWith('.tgz'))!,
  );

  // CATALYST_CONSUMER_REUSE=DIR (a project this suite kept with CATALYST_KEEP_CONSUMER=1):
  // reinstall only the new tarball there, for a quick loop while working on the package.
  const reuse = process.env.CATALYST_CONSUMER_REUSE;
  const dir = reuse ?? join(work, 'bot');
  if (!reuse) {
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'consumer-bot', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
  }
  cpSync(FIXTURES, dir, { recursive: true });
  started = Date.now();
  await must(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      tarball,
      `typescript@${devVersion('typescript')}`,
      `@types/node@${devVersion('@types/node')}`,
      `tsx@${devVersion('tsx')}`,
    ],
    dir,
    20 * 60_000,
  );
  const installSeconds = (Date.now() - started) / 1000;
  return {
    dir,
    tarball,
    packSeconds,
    installSeconds,
    bin: join(dir, 'node_modules/.bin/catalyst-events'),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/** A long-running child (serve): its output so far, and a stop that waits for the exit. */
export function start(
  command: string,
  args: readonly string[],
  cwd: string,
): { child: ChildProcess; output: () => string; stop: () => Promise<number | null> } {
  const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined | null, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Bytes under a folder (the consumer's node_modules, reported by the suite). */
export function folderBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}
