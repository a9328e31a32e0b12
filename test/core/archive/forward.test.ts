/**
 * The PostgreSQL forwarder and archiving: a live file that has been archived keeps forwarding
 * with no duplicate and no gap (its checkpoint may name a row that moved to the segment), and
 * forwarding the archive adds nothing twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UuidV7Generator, type PreparedEvent } from '../../../src-core';
import { runForward } from '../../../src-core/forward/forwarder';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../../support/postgres';
import { tempDir } from '../../support/temp';
import { writePaperSession } from '../export/paper-session';
import { archive, copy, rawRows, type RawRow } from './support';

const DAY = 86_400_000;
const QUIET = { progress: null, log: () => undefined } as const;

async function pgIds(url: string): Promise<{ rows: number; ids: Set<string> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ event_id: string }>('SELECT event_id FROM event_log');
    return { rows: result.rows.length, ids: new Set(result.rows.map((r) => r.event_id)) };
  } finally {
    await client.end();
  }
}

/** What the bot writes after the archive ran: new orders. */
function appendMore(file: string, count: number): string[] {
  const store = SqliteEventStore.open({ file });
  try {
    const ids = new UuidV7Generator();
    const now = Date.now();
    const events: PreparedEvent[] = Array.from({ length: count }, (_, i) => ({
      event_id: ids.next(now),
      event_type: 'ORDER_SUBMITTED',
      aggregate_type: 'order',
      aggregate_id: `after-archive-${i}`,
      payload: { order_id: `after-archive-${i}`, ticker: 'AAPL', side: 'buy', quantity: 1, order_type: 'market' },
      metadata: { source: 'test', correlation_id: null, causation_id: null, user_id: null, version: '1.0' },
      created_at: now,
    }));
    return store.appendBatch(events).map((e) => e.event_id);
  } finally {
    store.close();
  }
}

describe.skipIf(!postgresAvailability().available)('forwarding archived files', () => {
  let cluster: PostgresCluster;
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let original: RawRow[];
  let before: number;
  /** Positions an archive of the pristine session moves. */
  let archivedPositions: Set<number>;
  let n = 0;

  beforeAll(async () => {
    cluster = await startPostgres();
    tmp = tempDir('archive-forward-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 3, 5);
    original = rawRows(pristine);
    before = original[original.length - 1]!.created_at - DAY;
    const scratch = copy(pristine, tmp.file('scratch.db'));
    await archive(scratch, tmp.file('scratch-archive.db'), before);
    archivedPositions = new Set(rawRows(tmp.file('scratch-archive.db')).map((r) => r.position));
  }, 180_000);

  afterAll(() => {
    cluster?.stop();
    tmp?.cleanup();
  });

  it('caught up before the archive: afterwards only the new events go, then the archive adds nothing', async () => {
    const url = await cluster.createDatabase(`caught_up_${++n}`);
    const live = copy(pristine, tmp.file('caught-up.db'));
    const segment = tmp.file('caught-up-archive.db');
    const first = await runForward({ db: live, to: url, source: 'bot', ...QUIET });
    expect(first.forwarded).toBe(original.length);
    const outcome = await archive(live, segment, before);
    expect(outcome.events).toBeGreaterThan(100);
    const added = appendMore(live, 25);
    const again = await runForward({ db: live, to: url, source: 'bot', ...QUIET });
    expect(again.forwarded).toBe(25);
    expect(again.duplicates).toBe(0);
    const fromArchive = await runForward({ db: segment, to: url, source: 'bot-archive', ...QUIET });
    expect(fromArchive.forwarded).toBe(0);
    expect(fromArchive.duplicates).toBe(outcome.events);
    const { rows, ids } = await pgIds(url);
    expect(rows).toBe(original.length + 25);
    expect(ids).toEqual(new Set([...original.map((r) => r.event_id), ...added]));
  }, 120_000);

  it('a forwarder behind the archive: its checkpoint row moved away, it resumes; the archive fills the gap once', async () => {
    const url = await cluster.createDatabase(`behind_${++n}`);
    const live = copy(pristine, tmp.file('behind.db'));
    const segment = tmp.file('behind-archive.db');
    // Stop the first forward on a row the archive will move (batch of that size, then abort).
    const checkpointRow = original.find((r) => r.position > 10 && archivedPositions.has(r.position))!;
    const controller = new AbortController();
    const partial = await runForward({
      db: live,
      to: url,
      source: 'bot',
      batchSize: checkpointRow.position,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batches >= 1) controller.abort();
      },
      ...QUIET,
    });
    expect(partial.position).toBe(checkpointRow.position);
    await archive(live, segment, before);
    expect(rawRows(live).some((r) => r.position === checkpointRow.position)).toBe(false);
    const added = appendMore(live, 10);
    const resumed = await runForward({ db: live, to: url, source: 'bot', ...QUIET });
    expect(resumed.duplicates).toBe(0);
    const liveRows = rawRows(live).filter((r) => r.position > checkpointRow.position);
    expect(resumed.forwarded).toBe(liveRows.length);
    // The rows that moved before the forwarder reached them come from the archive, once.
    const fromArchive = await runForward({ db: segment, to: url, source: 'bot-archive', ...QUIET });
    const segmentRows = rawRows(segment);
    expect(fromArchive.forwarded).toBe(segmentRows.filter((r) => r.position > checkpointRow.position).length);
    const twice = await runForward({ db: segment, to: url, source: 'bot-archive-again', ...QUIET });
    expect(twice.forwarded).toBe(0);
    const { rows, ids } = await pgIds(url);
    expect(rows).toBe(original.length + 10);
    expect(ids).toEqual(new Set([...original.map((r) => r.event_id), ...added]));
  }, 120_000);
});
