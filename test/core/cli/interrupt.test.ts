/**
 * Ctrl-C and SIGTERM stop any command (issue 16), even one busy in a synchronous fold: the
 * CLI installs no signal handler unless a command asks to wind down itself (tail, serve,
 * interactive replay), so the signal ends the process at once. Real child processes, a real
 * file, byte-compared afterwards.
 */
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareEvent } from '../../../src-core/emitter/prepare';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { BIN, cleanEnv, fileState } from './support/run-bin';

/** A plugin whose reducer never returns: the fold holds the event loop for good. */
const SPIN_PLUGIN = `
import { writeSync } from 'node:fs';
export default {
  name: 'spin',
  version: '1.0.0',
  coreApi: '^1.2.0',
  define(ctx) {
    ctx.reducers.register({
      aggregateType: 'spin',
      version: 1,
      initialState: () => ({}),
      reduce(state) {
        writeSync(2, 'folding\\n');
        for (;;) {}
      },
    });
  },
};
`;

describe('a command stuck in a synchronous fold', () => {
  const tmp = tempDir('cli-interrupt-');
  let file: string;
  beforeAll(() => {
    file = join(tmp.dir, 'events.db');
    const store = SqliteEventStore.open({ file });
    store.append(prepareEvent({ event_type: 'SPUN', aggregate_type: 'spin', aggregate_id: 's1', payload: {} }));
    store.close();
    writeFileSync(join(tmp.dir, 'spin-plugin.mjs'), SPIN_PLUGIN);
    writeFileSync(join(tmp.dir, 'catalyst-events.config.json'), JSON.stringify({ plugins: ['./spin-plugin.mjs'] }));
  });
  afterAll(() => tmp.cleanup());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on ${signal} at once and leaves the file as it was`, async () => {
      const before = fileState(file);
      const child = spawn(process.execPath, [BIN, 'show', 'spin', 's1', '--db', file], { cwd: tmp.dir, env: cleanEnv() });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.on('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      const deadline = Date.now() + 45_000;
      while (!stderr.includes('folding') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(stderr).toContain('folding');
      child.kill(signal);
      const outcome = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 3_000))]);
      if (outcome === 'still running') child.kill('SIGKILL');
      expect(outcome).toEqual({ code: null, signal });
      // The database's bytes are unchanged, nothing is half-written: no rollback journal, and a
      // -wal the killed reader leaves beside a WAL file is empty (SQLite removes it on the next close).
      const after = fileState(file);
      expect(after.sha256).toBe(before.sha256);
      expect(after.journal).toBe(false);
      if (after.wal) expect(statSync(`${file}-wal`).size).toBe(0);
    }, 60_000);
  }
});
