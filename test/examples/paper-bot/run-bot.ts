import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { StoredEvent } from '../../../src-core/events/types';

/** Helpers for running the paper bot as a real child process, the way `npm start` does. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'examples/paper-bot/main.ts');

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'paper-bot-'));

export interface BotRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function startBot(args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<BotRun> } {
  const child = spawn(TSX, [MAIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, CATALYST_EVENTS_DB: '', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<BotRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const runBot = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<BotRun> => startBot(args, env).done;

/** Polls `probe` every 50 ms until it gives a value; a throw counts as "not ready yet". */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error('timed out waiting for the bot');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The health server's URL, from the line a bot started with --health-port prints on stderr. Call right after startBot. */
export function healthUrl(child: ChildProcess, timeoutMs?: number): Promise<string> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return waitFor(() => /health: (http:\/\/127\.0\.0\.1:\d+)\/health/.exec(stderr)?.[1], timeoutMs);
}

/** An event as the file holds it (the envelope contract; read below with plain SQL). */
export type Row = StoredEvent;

/** Every event of the file in append order, read with plain SQL (the on-disk contract, no library code). */
export function readLog(file: string): Row[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'SELECT rowid AS position, event_id, event_type, aggregate_type, aggregate_id, sequence_number, created_at, payload, metadata FROM event_log ORDER BY rowid',
      )
      .all() as (Omit<Row, 'payload' | 'metadata'> & { payload: string; metadata: string })[];
    return rows.map((r) => ({
      ...r,
      payload: JSON.parse(r.payload) as Row['payload'],
      metadata: JSON.parse(r.metadata) as Row['metadata'],
    }));
  } finally {
    db.close();
  }
}
