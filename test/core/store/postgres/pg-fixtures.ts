import type { NewEvent } from '../../../../src-core';
import { runForward } from '../../../../src-core/forward/forwarder';
import { openPostgresReader, type PostgresEventReader } from '../../../../src-core/store/postgres/postgres-event-reader';
import { SqliteEventStore } from '../../../../src-core/store/sqlite/sqlite-event-store';
import type { PostgresCluster } from '../../../support/postgres';
import { preparedAll } from '../../../support/prepared-event';
import { tempDir } from '../../../support/temp';

/** Quiet forwarding for tests: no progress line, no retry chatter. */
export const QUIET = { progress: null, log: () => undefined } as const;

/** Write `events` to a fresh SQLite file, forward it into a fresh database, open the PG reader. */
export async function forwardedReader(
  cluster: PostgresCluster,
  dbName: string,
  events: NewEvent[],
  options: { source?: string; batchSize?: number } = {},
): Promise<{ reader: PostgresEventReader; file: string; url: string; cleanup: () => Promise<void> }> {
  const tmp = tempDir('catalyst-pgr-');
  const file = tmp.file('events.db');
  const store = SqliteEventStore.open({ file });
  store.appendBatch(preparedAll(events));
  store.close();
  const url = await cluster.createDatabase(dbName);
  await runForward({ db: file, to: url, ...QUIET, ...options });
  const reader = await openPostgresReader(url);
  return {
    reader,
    file,
    url,
    cleanup: async () => {
      await reader.close();
      tmp.cleanup();
    },
  };
}
