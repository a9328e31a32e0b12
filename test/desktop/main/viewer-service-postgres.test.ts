import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForward } from '../../../src-core/forward/forwarder';
import { openViewer, type OpenedViewer } from '../../../src-desktop/main/open-viewer';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../../support/postgres';
import { tempDir, writeTradeLog } from '../fixtures';

/** The scale path: the same viewer over the PostgreSQL log a forwarder filled from a bot's file. */
const pg = postgresAvailability();

describe.skipIf(!pg.available)('viewer service on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let viewer: OpenedViewer;
  beforeAll(async () => {
    cluster = await startPostgres();
    const file = join(tempDir(), 'events.db');
    writeTradeLog(file, 2);
    const url = await cluster.createDatabase('viewer');
    await runForward({ db: file, to: url, progress: null, log: () => undefined });
    viewer = await openViewer({ pg: url });
  }, 120_000);
  afterAll(async () => {
    await viewer?.close();
    cluster?.stop();
  });

  it('answers the same queries: pages, P&L, replay with the built-in reducers, trace, corrupt scan', async () => {
    const { service } = viewer;
    const info = await service.info();
    expect(info).toMatchObject({ backend: 'postgres', head: 34, readOnly: true });
    expect(info.file).not.toMatch(/password/);
    const page = await service.eventsPage({ filter: { types: ['POSITION_CLOSED'] }, limit: 10, direction: 'forward' });
    expect(page.records.map((r) => r.aggregate_id)).toEqual(['position-1', 'position-2']);
    const pnl = await service.pnlSeries({ positionId: 'position-2' });
    expect(pnl).toMatchObject({ status: 'closed', realizedPnl: 25 });
    const replay = await service.replay({ aggregateType: 'position', aggregateId: 'position-1' });
    expect(replay.steps.at(-1)!.changes).toContainEqual(expect.objectContaining({ path: '$.status', after: 'closed' }));
    const trace = await service.trace({ correlationId: 'signal-2' });
    expect(trace.records).toHaveLength(16);
    expect(await service.corruptRows({ limit: 10 })).toEqual({ records: [], next: null });
    expect(await service.checkForChanges()).toBeNull();
  });
});
