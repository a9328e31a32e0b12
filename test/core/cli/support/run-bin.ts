import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../../../src-desktop/cli/bin.mjs', import.meta.url));

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BinOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Run this file instead of BIN (e.g. a node_modules/.bin symlink). */
  bin?: string;
}

/** A predictable environment: no colours forced, 80 columns, no CATALYST_EVENTS_* from the host. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '80' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('CATALYST_EVENTS_') || key === 'FORCE_COLOR' || key === 'NO_COLOR' || key.startsWith('VITEST')) delete env[key];
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs the real bin as a child process (node bin.mjs ...). */
export function runBin(args: readonly string[], options: BinOptions = {}): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [options.bin ?? BIN, ...args],
      { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env), maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts the bin and keeps it running (tail, serve); collects its output. */
export function startBin(
  args: readonly string[],
  options: BinOptions = {},
): { child: ChildProcess; stdout(): string; stderr(): string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [options.bin ?? BIN, ...args], { cwd: options.cwd ?? ROOT, env: cleanEnv(options.env) });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `check` is true (or throws after `ms`); for output from a running child. */
export async function waitFor(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface FileState {
  sha256: string;
  wal: boolean;
  shm: boolean;
  journal: boolean;
}

/** The bytes of a file and whether SQLite's side files exist beside it. */
export function fileState(file: string): FileState {
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    wal: existsSync(`${file}-wal`),
    shm: existsSync(`${file}-shm`),
    journal: existsSync(`${file}-journal`),
  };
}

/** stderr is one line and carries no stack trace. */
export function isOneLineError(stderr: string): boolean {
  const lines = stderr.trimEnd().split('\n');
  return lines.length === 1 && lines[0]!.startsWith('catalyst-events:') && !/\n\s+at /.test(stderr);
}
