import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';

const TSX = 'node_modules/.bin/tsx';
const WORKER = 'test/core/store/fixtures/append-worker.ts';

function runWorker(args: string[]): Promise<{ name: string; written: number; conflicts: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as { name: string; written: number; conflicts: number })
        : reject(new Error(`worker exit ${code}: ${err}`)),
    );
  });
}

describe('two processes appending to the same aggregates at once', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    SqliteEventStore.open({ file: tmp.file('events.db') }).close();
  });
  afterEach(() => tmp.cleanup());

  function assertGapFree(file: string): number {
    const store = SqliteEventStore.open({ file, readOnly: true });
    const rows = store.connection
      .prepare(
        'SELECT aggregate_id, COUNT(*) AS n, MAX(sequence_number) AS max, COUNT(DISTINCT sequence_number) AS d FROM event_log GROUP BY aggregate_id',
      )
      .all() as { n: number; max: number; d: number }[];
    for (const row of rows) {
      expect(row.max).toBe(row.n);
      expect(row.d).toBe(row.n);
    }
    const total = store.connection.prepare('SELECT COUNT(*) FROM event_log').pluck().get() as number;
    const positions = store.connection.prepare('SELECT COUNT(DISTINCT position) FROM event_position').pluck().get();
    expect(positions).toBe(total);
    store.close();
    return total;
  }

  it('without expected versions: every event lands, no gap, no duplicate', async () => {
    const file = tmp.file('events.db');
    const results = await Promise.all([runWorker([file, 'A', '400', '3', 'plain']), runWorker([file, 'B', '400', '3', 'plain'])]);
    expect(results.map((r) => r.written)).toEqual([400, 400]);
    expect(assertGapFree(file)).toBe(800);
  });

  it('with expected versions: the loser sees ConcurrencyError, the log stays gap-free', async () => {
    const file = tmp.file('events.db');
    const results = await Promise.all([runWorker([file, 'A', '400', '1', 'expected']), runWorker([file, 'B', '400', '1', 'expected'])]);
    const written = results.reduce((s, r) => s + r.written, 0);
    for (const r of results) expect(r.written + r.conflicts).toBe(400);
    expect(assertGapFree(file)).toBe(written);
    // Interleaving is up to the OS; conflicts are counted, and every one surfaced as ConcurrencyError (no crash).
    expect(results.every((r) => Number.isInteger(r.conflicts))).toBe(true);
  });
});
