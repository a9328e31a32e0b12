import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../support/temp';
import { inspectFile, inspectLog, missingFrom } from './support/log-checks';
import { HEAVY, runSeed, seededRandom } from './support/random';
import { recordResults } from './support/results';
import { startWorker } from './support/worker';

/**
 * A writer whose WAL the checkpointer thread copies beside it is SIGKILLed while the thread
 * works (after its first, second... checkpoint, at a random commit after that). Every
 * acknowledged event must survive, and the file must be whole, for a reader right after the
 * kill and for the writer that opens it next.
 */
const TRIALS = HEAVY ? 8 : 3;
const seed = runSeed();
const random = seededRandom(seed);
const figures = { seed, trials: 0, acknowledged: 0, checkpointsBeforeKill: 0 };

afterAll(() => recordResults('crash-checkpoint', figures));

describe('SIGKILL while the checkpointer thread copies the WAL', () => {
  it(`every acknowledged event survives ${TRIALS} kills; no torn batch, integrity ok`, async () => {
    const tmp = tempDir('catalyst-crash-checkpoint-');
    const file = tmp.file('events.db');
    // 512-byte pages: the thread's first checkpoint comes after ~1 MB of WAL, within a second.
    const setup = new Database(file);
    setup.pragma('page_size = 512');
    setup.pragma('journal_mode = WAL');
    setup.close();
    const acked = new Set<string>();
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const afterCheckpoints = random.int(1, 3);
        const afterAcks = random.int(0, 40);
        let acksAfter = -1;
        let checkpoints = 0;
        const worker = startWorker('checkpointing-writer.ts', [file, `t${trial}`, String(random.int(1, 1e9))], (line, w) => {
          if (line.startsWith('ACK ')) {
            for (const id of line.slice(4).split(',')) acked.add(id);
            if (acksAfter >= 0 && ++acksAfter > afterAcks) w.child.kill('SIGKILL');
          } else if (line.startsWith('CHECKPOINTS ')) {
            checkpoints = Number(line.slice(12));
            if (checkpoints >= afterCheckpoints && acksAfter < 0) acksAfter = 0;
          }
        });
        const exit = await worker.exited;
        expect(exit.signal, exit.stderr).toBe('SIGKILL');
        expect(checkpoints).toBeGreaterThanOrEqual(afterCheckpoints);
        figures.trials++;
        figures.checkpointsBeforeKill += checkpoints;

        const report = inspectFile(file);
        expect(missingFrom(report, acked)).toEqual([]);
        expect(report.tornBatches).toEqual([]);
        expect(report.positions).toBe(report.total);
        expect(report.integrity).toBe('ok');
        const store = SqliteEventStore.open({ file });
        try {
          expect(inspectLog(store).integrity).toBe('ok');
        } finally {
          store.close();
        }
      }
      figures.acknowledged = acked.size;
    } finally {
      tmp.cleanup();
    }
  }, 180_000);
});
