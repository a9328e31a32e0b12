import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreWriteError } from '../../src-core/errors';
import { BUSY_RETRIES, SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { prepared, preparedAll } from '../support/prepared-event';
import { tempDir } from '../support/temp';
import { inspectFile } from './support/log-checks';
import { HEAVY, runSeed, seededRandom } from './support/random';
import { recordResults } from './support/results';
import { startWorker, type RunningWorker } from './support/worker';

interface Tally {
  name: string;
  mode: 'plain' | 'expected';
  written: number;
  conflicts: number;
  busy: number;
  batches: number;
  maxAttempts: number;
}

const seed = runSeed();
const random = seededRandom(seed);
const figures = { seed, runs: 0, processes: 0, eventsWritten: 0, conflictsSeen: 0, busySurfacedAndRetried: 0, batches: 0 };
afterAll(() => recordResults('concurrency', figures));

interface WriterSpec {
  mode: 'plain' | 'expected';
  busyTimeoutMs: number;
}

/** Starts every writer, waits until all are READY, then lets them go at once. */
async function race(file: string, dir: string, specs: readonly WriterSpec[], count: number, shared: number): Promise<Tally[]> {
  const go = `${dir}/go`;
  let ready = 0;
  let release!: () => void;
  let abort!: (error: Error) => void;
  const allReady = new Promise<void>((resolve, reject) => ((release = resolve), (abort = reject)));
  const workers: RunningWorker[] = specs.map((spec, n) => {
    let isReady = false;
    const worker = startWorker(
      'concurrent-writer.ts',
      [file, `w${n}`, String(count), spec.mode, String(spec.busyTimeoutMs), String(shared), String(random.int(1, 1e9)), go],
      (line) => {
        if (line !== 'READY') return;
        isReady = true;
        if (++ready === specs.length) release();
      },
    );
    // A writer that dies before READY (it could not open the file) fails the race now, with its
    // reason, instead of leaving the others waiting for a start that never comes.
    void worker.exited.then((exit) => {
      if (!isReady) abort(new Error(`writer w${n} exited ${exit.code} before READY: ${exit.stderr}`));
    });
    return worker;
  });
  await allReady;
  writeFileSync(go, '');
  const exits = await Promise.all(workers.map((w) => w.exited));
  return exits.map((exit, n) => {
    // A crash (any error other than ConcurrencyError / StoreWriteError(SQLITE_BUSY)) exits 1.
    expect(exit.code, `writer w${n}: ${exit.stderr}`).toBe(0);
    return JSON.parse(exit.lines.at(-1)!) as Tally;
  });
}

function checkLog(file: string, tallies: Tally[]): void {
  const report = inspectFile(file);
  expect(report.integrity).toBe('ok');
  expect(report.gapped).toEqual([]);
  expect(report.positions).toBe(report.total);
  expect(report.total).toBe(tallies.reduce((sum, t) => sum + t.written, 0));
  // Each writer's events are all there, once each.
  const store = SqliteEventStore.open({ file, readOnly: true });
  const perWriter = store.connection
    .prepare(
      `SELECT json_extract(payload, '$.writer') AS writer, COUNT(*) AS n, COUNT(DISTINCT json_extract(payload, '$.i')) AS d FROM event_log GROUP BY writer`,
    )
    .all() as { writer: string; n: number; d: number }[];
  store.close();
  for (const t of tallies) expect(perWriter.find((r) => r.writer === t.name)).toEqual({ writer: t.name, n: t.written, d: t.written });
  figures.runs++;
  figures.processes += tallies.length;
  figures.eventsWritten += report.total;
  figures.conflictsSeen += tallies.reduce((s, t) => s + t.conflicts, 0);
  figures.busySurfacedAndRetried += tallies.reduce((s, t) => s + t.busy, 0);
  figures.batches += tallies.reduce((s, t) => s + t.batches, 0);
}

describe('several processes appending to one file at once', () => {
  const PROCESSES = HEAVY ? 8 : 4;
  const COUNT = HEAVY ? 600 : 250;

  it(`${PROCESSES} writers, shared and own aggregates, with and without expected versions: no gap, no duplicate, every event once`, async () => {
    const tmp = tempDir('catalyst-race-');
    try {
      const file = tmp.file('events.db');
      SqliteEventStore.open({ file }).close();
      const specs: WriterSpec[] = Array.from({ length: PROCESSES }, (_, n) => ({
        mode: n % 2 === 0 ? 'plain' : 'expected',
        busyTimeoutMs: 5000,
      }));
      const tallies = await race(file, tmp.dir, specs, COUNT, 2);
      for (const t of tallies) expect(t.written).toBe(COUNT);
      // Unconditional appends never conflict: the store allocates the next sequence inside the write lock.
      for (const t of tallies.filter((x) => x.mode === 'plain')) expect(t.conflicts).toBe(0);
      checkLog(file, tallies);
    } finally {
      tmp.cleanup();
    }
  });

  it(`short busy timeouts (0-2 ms): never a crash; a BUSY that outlasts ${BUSY_RETRIES} retries is a StoreWriteError the writer retries`, async () => {
    const tmp = tempDir('catalyst-race-busy-');
    try {
      const file = tmp.file('events.db');
      SqliteEventStore.open({ file }).close();
      const specs: WriterSpec[] = Array.from({ length: PROCESSES }, (_, n) => ({
        mode: n % 2 === 0 ? 'plain' : 'expected',
        busyTimeoutMs: n % 3,
      }));
      const tallies = await race(file, tmp.dir, specs, COUNT, 3);
      for (const t of tallies) expect(t.written).toBe(COUNT);
      checkLog(file, tallies);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('a writer blocked by another process holding the write lock', () => {
  it('waits out a short lock within busy_timeout and appends', async () => {
    const tmp = tempDir('catalyst-lock-');
    try {
      const file = tmp.file('events.db');
      const store = SqliteEventStore.open({ file, busyTimeoutMs: 20_000 });
      let locker!: RunningWorker;
      const locked = new Promise<void>((resolve) => {
        locker = startWorker('lock-holder.ts', [file, 'immediate', '300'], (line) => line === 'LOCKED' && resolve());
      });
      await locked;
      // Blocks in SQLite's busy handler until the other process commits, then succeeds.
      const stored = store.append(prepared({ event_type: 'TICK', aggregate_type: 'counter', aggregate_id: 'a', payload: {} }));
      expect(stored.sequence_number).toBe(2); // the locker's own event was 1
      expect((await locker.exited).code).toBe(0);
      store.close();
      expect(inspectFile(file).gapped).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });

  it(`gives up after busy_timeout and ${BUSY_RETRIES} retries with StoreWriteError(SQLITE_BUSY), nothing written, and works once the lock is gone`, async () => {
    const tmp = tempDir('catalyst-lock-');
    try {
      const file = tmp.file('events.db');
      const store = SqliteEventStore.open({ file, busyTimeoutMs: 5 });
      let locker!: RunningWorker;
      const locked = new Promise<void>((resolve) => {
        locker = startWorker('lock-holder.ts', [file, 'immediate', 'stdin'], (line) => line === 'LOCKED' && resolve());
      });
      await locked;
      let caught: unknown;
      try {
        store.appendBatch(
          preparedAll([
            { event_type: 'TICK', aggregate_type: 'counter', aggregate_id: 'b', payload: { n: 1 } },
            { event_type: 'TICK', aggregate_type: 'counter', aggregate_id: 'b', payload: { n: 2 } },
          ]),
        );
      } catch (error) {
        caught = error;
      }
      expect(isStoreWriteError(caught)).toBe(true);
      expect((caught as { sqliteCode?: string }).sqliteCode).toBe('SQLITE_BUSY');
      expect((caught as Error).message).toContain(`${BUSY_RETRIES + 1} tries`);
      locker.child.kill('SIGTERM'); // the other process goes away (its open transaction rolls back)
      await locker.exited;
      expect(store.aggregateVersionSync('counter', 'b')).toBe(0);
      const stored = store.append(prepared({ event_type: 'TICK', aggregate_type: 'counter', aggregate_id: 'b', payload: { n: 3 } }));
      expect(stored.sequence_number).toBe(1);
      store.close();
    } finally {
      tmp.cleanup();
    }
  });
});
