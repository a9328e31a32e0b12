import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';

const root = join(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const script = join(import.meta.dirname, 'fixtures', 'shutdown-child.ts');

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  rows: number;
}

/** Runs the child bot; once it says `ready`, sends `signal` (if any); resolves when it exits. */
function runChild(scenario: string, signal?: NodeJS.Signals): Promise<Run & { readyLine: string }> {
  const tmp = tempDir('catalyst-shutdown-');
  cleanups.push(tmp.cleanup);
  const file = tmp.file('events.db');
  const child = spawn(tsx, [script], {
    cwd: root,
    env: { ...process.env, CATALYST_TEST_DB: file, SCENARIO: scenario },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let readyLine = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const line = stdout.split('\n').find((l) => l.startsWith('ready'));
    if (line && !readyLine) {
      readyLine = line;
      if (signal) child.kill(signal);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, sig) => {
      const db = new Database(file, { readonly: true });
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM event_log').get() as { n: number }).n;
      db.close();
      resolve({ code, signal: sig, stdout, stderr, rows, readyLine });
    });
  });
}

describe('buffered emitter at process shutdown (real child processes)', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('flushes on %s, then exits as the signal would (%i)', async (signal, code) => {
    const run = await runChild('wait', signal);
    expect(run.readyLine).toBe('ready committed=0'); // nothing written before the signal
    expect(run.rows).toBe(25);
    expect(run.code).toBe(code);
    expect(run.stderr).not.toContain('reported');
  });

  it('leaves the exit to a bot that handles the signal itself, flushing first', async () => {
    const run = await runChild('own-handler', 'SIGTERM');
    expect(run.stdout).toContain('bot-handler committed=25');
    expect(run.code).toBe(7);
    expect(run.rows).toBe(25);
  });

  it('flushes on beforeExit when the event loop drains', async () => {
    const run = await runChild('drain');
    expect(run.readyLine).toBe('ready committed=0');
    expect(run.code).toBe(0);
    expect(run.rows).toBe(25);
  });
});
