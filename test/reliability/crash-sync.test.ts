import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../support/prepared-event';
import { tempDir } from '../support/temp';
import { inspectFile, inspectLog, missingFrom } from './support/log-checks';
import { HEAVY, runSeed, seededRandom } from './support/random';
import { recordResults } from './support/results';
import { startWorker } from './support/worker';

/**
 * A sync-mode writer is SIGKILLed at random points, over and over, on one file (the bot
 * restarts after each crash, as a supervisor would restart it). After every kill, before
 * any writer has recovered the WAL, a read-only open must see every acknowledged event.
 */
const TRIALS_PER_DURABILITY = HEAVY ? 20 : 2;
const seed = runSeed();
const random = seededRandom(seed);
const figures = { seed, trials: 0, acknowledged: 0, acknowledgedFound: 0, committedUnacknowledged: 0, rowsAtEnd: 0 };

afterAll(() => recordResults('crash-sync', figures));

describe.each(['normal', 'full', 'off'] as const)('SIGKILL during sync appends (durability %s)', (durability) => {
  it(`every acknowledged event survives ${TRIALS_PER_DURABILITY} kills; no gap, no torn batch, integrity ok`, async () => {
    const tmp = tempDir('catalyst-crash-');
    const file = tmp.file('events.db');
    const acked = new Set<string>();
    try {
      for (let trial = 0; trial < TRIALS_PER_DURABILITY; trial++) {
        // Half the trials kill after a number of acknowledgements, half after a delay.
        const afterAcks = random.next() < 0.5 ? random.int(0, 150) : -1;
        const afterMs = random.int(0, 250);
        let acks = 0;
        const worker = startWorker('sync-crash-writer.ts', [file, durability, `t${trial}`, String(random.int(1, 1e9))], (line, w) => {
          if (line === 'READY' && afterAcks < 0) setTimeout(() => w.child.kill('SIGKILL'), afterMs);
          if (line === 'READY' && afterAcks === 0) w.child.kill('SIGKILL');
          if (line.startsWith('ACK ')) {
            for (const id of line.slice(4).split(',')) acked.add(id);
            if (++acks === afterAcks) w.child.kill('SIGKILL');
          }
        });
        const exit = await worker.exited;
        expect(exit.signal, exit.stderr).toBe('SIGKILL');
        figures.trials++;

        // The viewer's view right after the crash: read-only, WAL not yet recovered by a writer.
        const report = inspectFile(file);
        expect(missingFrom(report, acked)).toEqual([]);
        expect(report.gapped).toEqual([]);
        expect(report.tornBatches).toEqual([]);
        expect(report.positions).toBe(report.total);
        expect(report.integrity).toBe('ok');

        // The restarted bot: opens read-write and keeps appending where the log ends.
        const store = SqliteEventStore.open({ file, durability });
        expect(inspectLog(store).integrity).toBe('ok');
        const version = store.aggregateVersionSync('account', 'acct-0');
        const next = store.append(
          prepared({
            event_type: 'RESTARTED',
            aggregate_type: 'account',
            aggregate_id: 'acct-0',
            payload: { trial },
            expected_version: version,
          }),
        );
        expect(next.sequence_number).toBe(version + 1);
        acked.add(next.event_id);
        store.close();
      }
      const final = inspectFile(file);
      expect(missingFrom(final, acked)).toEqual([]);
      expect(final.gapped).toEqual([]);
      figures.acknowledged += acked.size;
      figures.acknowledgedFound += acked.size - missingFrom(final, acked).length;
      figures.committedUnacknowledged += final.total - acked.size;
      figures.rowsAtEnd += final.total;
      // Some trials must have written something, or the test proved nothing.
      expect(acked.size).toBeGreaterThan(TRIALS_PER_DURABILITY);
    } finally {
      tmp.cleanup();
    }
  });
});
