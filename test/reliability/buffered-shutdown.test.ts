import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../support/prepared-event';
import { tempDir } from '../support/temp';
import { inspectFile, missingFrom } from './support/log-checks';
import { HEAVY, runSeed, seededRandom } from './support/random';
import { recordResults } from './support/results';
import { startWorker, type WorkerExit } from './support/worker';

const seed = runSeed();
const random = seededRandom(seed);
const figures = {
  seed,
  gracefulTrials: 0,
  queuedAtSignalFlushed: 0,
  killTrials: 0,
  queued: 0,
  committedSeen: 0,
  foundAfterKill: 0,
  lostFromQueue: 0,
  maxLostInOneKill: 0,
};
afterAll(() => recordResults('buffered-shutdown', figures));

let runs = 0;

interface Run {
  exit: WorkerExit;
  /** Queued groups in emit order (their event ids). */
  groups: string[][];
  committed: Set<string>;
  /** Queued but not yet committed when the signal was sent (stdout keeps Q and C lines in order). */
  pendingAtSignal: number;
}

/** Runs the buffered bot and sends `signal` once `afterGroups` groups are queued. */
async function runBot(
  file: string,
  settings: { batchSize: number; intervalMs: number; capacity: number },
  signal: NodeJS.Signals,
  afterGroups: number,
): Promise<Run> {
  const groups: string[][] = [];
  const committed = new Set<string>();
  let sent = false;
  let pendingAtSignal = 0;
  const worker = startWorker(
    'buffered-bot.ts',
    [file, String(settings.batchSize), String(settings.intervalMs), String(settings.capacity), String(random.int(1, 1e9)), `run${runs++}`],
    (line, w) => {
      if (line.startsWith('Q ')) {
        groups.push(line.slice(2).split(','));
        if (!sent && groups.length >= afterGroups) {
          sent = true;
          pendingAtSignal = groups.flat().length - committed.size;
          w.child.kill(signal);
        }
      } else if (line.startsWith('C ')) committed.add(line.slice(2));
    },
  );
  return { exit: await worker.exited, groups, committed, pendingAtSignal };
}

describe('buffered emitter: SIGTERM and SIGINT flush everything queued', () => {
  const TRIALS = HEAVY ? 12 : 2;
  it.each(['SIGTERM', 'SIGINT'] as const)(
    `%s: every queued event is written, the process exits 128+n (${TRIALS} trials)`,
    async (signal) => {
      const tmp = tempDir('catalyst-buffered-term-');
      try {
        const file = tmp.file('events.db');
        const queuedIds: string[] = [];
        let pending = 0;
        for (let trial = 0; trial < TRIALS; trial++) {
          // Big batches and a long interval: whatever is queued when the signal lands is
          // still queued, so only the shutdown flush can save it.
          const run = await runBot(file, { batchSize: 400, intervalMs: 60_000, capacity: 10_000 }, signal, random.int(1, 250));
          expect(run.exit.code, run.exit.stderr).toBe(signal === 'SIGTERM' ? 143 : 130);
          const ids = run.groups.flat();
          queuedIds.push(...ids);
          const report = inspectFile(file);
          expect(missingFrom(report, ids)).toEqual([]);
          expect(report.gapped).toEqual([]);
          expect(report.tornBatches).toEqual([]);
          expect(report.integrity).toBe('ok');
          figures.gracefulTrials++;
          figures.queuedAtSignalFlushed += run.pendingAtSignal;
          figures.queued += ids.length;
          pending += run.pendingAtSignal;
        }
        // The shutdown flush had something to save, or this proved nothing.
        expect(pending).toBeGreaterThan(0);
      } finally {
        tmp.cleanup();
      }
    },
  );
});

describe('buffered emitter: SIGKILL', () => {
  const TRIALS = HEAVY ? 20 : 3;
  it(`leaves whole committed batches only, a prefix of what was queued, losing at most the queue (${TRIALS} trials)`, async () => {
    const tmp = tempDir('catalyst-buffered-kill-');
    try {
      const file = tmp.file('events.db');
      const settings = { batchSize: 40, intervalMs: 5, capacity: 120 };
      for (let trial = 0; trial < TRIALS; trial++) {
        const before = trial === 0 ? 0 : inspectFile(file).total;
        const run = await runBot(file, settings, 'SIGKILL', random.int(5, 400));
        expect(run.exit.signal, `exit ${run.exit.code}: ${run.exit.stderr}`).toBe('SIGKILL');
        const report = inspectFile(file);
        expect(report.integrity).toBe('ok');
        expect(report.gapped).toEqual([]);
        // A flush is one transaction over whole emitBatch groups: never half a group.
        expect(report.tornBatches).toEqual([]);
        // Everything a listener saw committed is on disk.
        expect(missingFrom(report, run.committed)).toEqual([]);
        // Flushes go oldest first, so what survived is a prefix of the queued groups.
        const present = run.groups.map((g) => g.every((id) => report.eventIds.has(id)));
        const firstMissing = present.indexOf(false);
        const survivors = firstMissing < 0 ? present.length : firstMissing;
        expect(present.slice(survivors).every((p) => !p)).toBe(true);
        const lost = run.groups.slice(survivors).flat().length;
        // The loss is bounded by the queue: never more than its capacity.
        expect(lost).toBeLessThanOrEqual(settings.capacity);
        // Nothing appeared that was not emitted by this run (or an earlier one).
        expect(report.total - before).toBeGreaterThanOrEqual(run.groups.slice(0, survivors).flat().length);
        figures.killTrials++;
        figures.committedSeen += run.committed.size;
        figures.foundAfterKill += run.groups.slice(0, survivors).flat().length;
        figures.lostFromQueue += lost;
        figures.maxLostInOneKill = Math.max(figures.maxLostInOneKill, lost);
        // The restarted bot can open the file and write.
        const store = SqliteEventStore.open({ file });
        store.append(
          prepared({
            event_type: 'TICK',
            aggregate_type: 'meter',
            aggregate_id: 'm-0',
            payload: { batch: `restart-${trial}`, batch_size: 1, i: 0 },
          }),
        );
        store.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
