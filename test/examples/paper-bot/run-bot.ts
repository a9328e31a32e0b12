import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

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
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<BotRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export const runBot = (args: readonly string[], env?: NodeJS.ProcessEnv): Promise<BotRun> => startBot(args, env).done;

export interface Row {
  position: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence_number: number;
  created_at: number;
  payload: Record<string, unknown>;
  metadata: { correlation_id: string | null; causation_id: string | null; [key: string]: unknown };
}

/** Every event of the file in append order, read with plain SQL (the on-disk contract, no library code). */
export function readLog(file: string): Row[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT rowid AS position, event_id, event_type, aggregate_type, aggregate_id, sequence_number, created_at, payload, metadata FROM event_log ORDER BY rowid')
      .all() as (Omit<Row, 'payload' | 'metadata'> & { payload: string; metadata: string })[];
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Row['payload'], metadata: JSON.parse(r.metadata) as Row['metadata'] }));
  } finally {
    db.close();
  }
}
