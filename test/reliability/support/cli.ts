import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ROOT } from './worker';

const BIN = `${ROOT}src-desktop/cli/bin.mjs`;

export interface CliRun {
  args: readonly string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real `catalyst-events` bin in a child process, with no CATALYST_EVENTS_* from the host. */
export function cli(args: readonly string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', COLUMNS: '100' };
  for (const key of Object.keys(env)) if (key.startsWith('CATALYST_EVENTS_') || key.startsWith('VITEST')) delete env[key];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ args, code, signal: (error as { signal?: NodeJS.Signals } | null)?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/**
 * Not a crash: a documented exit code (0 ok, 1 problems found, 2 bad input), no signal, and
 * any complaint is one line naming the CLI, without a stack trace.
 */
export function expectNoCrash(run: CliRun): string | null {
  const where = `catalyst-events ${run.args.join(' ')}`;
  if (run.signal !== null || run.code === null || ![0, 1, 2].includes(run.code))
    return `${where}: exit ${run.code ?? run.signal}\n${run.stderr}`;
  if (/\n\s+at /.test(run.stderr) || run.stderr.includes('node:internal')) return `${where}: stack trace\n${run.stderr}`;
  if (
    run.stderr.trim() !== '' &&
    run.code !== 0 &&
    (run.stderr.trimEnd().split('\n').length !== 1 || !run.stderr.startsWith('catalyst-events:'))
  ) {
    return `${where}: not a one-line message\n${run.stderr}`;
  }
  return null;
}

export interface DirState {
  /** sha256 of every file in the folder, by name (SQLite's side files included). */
  files: Record<string, string>;
}

/** The bytes of every file beside (and including) the log, to prove a reader changed nothing. */
export function dirState(file: string): DirState {
  const dir = dirname(file);
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = `${dir}/${name}`;
    if (!existsSync(path)) continue;
    files[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return { files };
}

export const EMPTY_SHA256 = createHash('sha256').update(Buffer.alloc(0)).digest('hex');

/**
 * What a reader changed in the folder, if anything. The allowances are SQLite's own, for
 * WAL mode: the -shm is the shared-memory index every reader writes its read mark into (no
 * log data, rebuilt from the -wal when lost), and a reader that finds no -wal leaves an empty
 * one. The database file and any -wal with content must be byte-identical.
 */
export function changedByReader(before: DirState, after: DirState): string[] {
  const changes: string[] = [];
  for (const [name, sha] of Object.entries(after.files)) {
    if (before.files[name] === sha) continue;
    if (name.endsWith('-shm')) continue;
    if (before.files[name] === undefined && name.endsWith('-wal') && sha === EMPTY_SHA256) continue;
    changes.push(before.files[name] === undefined ? `${name} created` : `${name} changed`);
  }
  for (const name of Object.keys(before.files)) if (!(name in after.files)) changes.push(`${name} removed`);
  return changes;
}
