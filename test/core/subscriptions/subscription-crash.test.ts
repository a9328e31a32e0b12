import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { prepareEvent } from '../../../src-core/emitter/prepare';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONSUMER = fileURLToPath(new URL('./fixtures/batch-consumer.ts', import.meta.url));

interface Run {
  stdout: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the consumer; with `killOn`, sends SIGKILL as soon as that text appears on stdout. */
function runConsumer(args: string[], killOn?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that the
    // SIGKILL below would miss, left hanging after the test.
    const child = spawn(process.execPath, ['--import', 'tsx', CONSUMER, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killOn && stdout.includes(killOn)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`consumer failed (${code}): ${stderr}`));
      else resolve({ stdout, code, signal });
    });
  });
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('catalyst-sub-crash-');
});
afterEach(() => tmp.cleanup());

describe('subscription crash between handling a batch and checkpointing it', () => {
  it('a SIGKILLed consumer resumes from its checkpoint and replays only that batch', async () => {
    const file = tmp.file('events.db');
    const sideLog = tmp.file('projection.log');
    const store = SqliteEventStore.open({ file });
    store.appendBatch(
      Array.from({ length: 10 }, (_, i) => ({ event_type: 'TICK', aggregate_type: 'clock', aggregate_id: 'c', payload: { i } })).map((e) =>
        prepareEvent(e),
      ),
    );
    store.close();

    // Batches of 3: [1,2,3] checkpointed, [4,5,6] handled, then killed before its checkpoint.
    const crashed = await runConsumer([file, sideLog, '3', '2'], 'HANDLED');
    expect(crashed.signal).toBe('SIGKILL');
    expect(crashed.stdout).toContain('HANDLED 4,5,6');
    expect(crashed.stdout).not.toContain('CAUGHT_UP');
    const check = SqliteEventStore.open({ file, readOnly: true });
    expect(check.getCheckpoint('crash-test-projection')).toBe(3);
    check.close();

    const resumed = await runConsumer([file, sideLog, '3']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('CAUGHT_UP 10 7');

    const delivered = readFileSync(sideLog, 'utf8').trim().split('\n').map(Number);
    // At-least-once: batch [4,5,6] twice, everything else exactly once, in order.
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 4, 5, 6, 7, 8, 9, 10]);
    const after = SqliteEventStore.open({ file, readOnly: true });
    expect(after.getCheckpoint('crash-test-projection')).toBe(10);
    after.close();

    // A third run has nothing left to deliver.
    const idle = await runConsumer([file, sideLog, '3']);
    expect(idle.stdout).toContain('CAUGHT_UP 10 0');
    expect(readFileSync(sideLog, 'utf8').trim().split('\n')).toHaveLength(13);
    expect(existsSync(file)).toBe(true);
  });
});
