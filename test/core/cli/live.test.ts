/** The long-running commands, as child processes: tail while a bot writes, serve, and SIGINT. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { pythonSql, T0, writeSeedLog } from './support/logs';
import { fileState, startBin, waitFor } from './support/run-bin';
import { prepareEvent } from '../../../src-core/emitter/prepare';

describe('tail and serve', () => {
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(() => {
    tmp = tempDir('cli-live-');
  });

  afterAll(() => tmp.cleanup());

  it('tail follows our writer and the seed’s Python writer, and exits 0 on SIGINT', async () => {
    const ours = tmp.file('ours.db');
    const writer = SqliteEventStore.open({ file: ours });
    const seed = tmp.file('seed.db');
    writeSeedLog(seed);
    try {
      writer.append(
        prepareEvent({
          event_type: 'SIGNAL_GENERATED',
          aggregate_type: 'signal',
          aggregate_id: 'old',
          payload: { signal_id: 'old' },
          created_at: T0,
        }),
      );
      const table = startBin(['tail', '--db', ours, '--interval', '50', '--last', '1']);
      const ndjson = startBin(['tail', '--db', seed, '--interval', '50', '--last', '0', '--ndjson', '--type', 'ORDER_CANCELLED']);
      await waitFor(() => table.stderr().includes('following') && table.stdout().includes('signal:old#1'), 'tail to start');
      await waitFor(() => ndjson.stderr().includes('following'), 'tail --ndjson to start');

      writer.append(
        prepareEvent({
          event_type: 'SIGNAL_GENERATED',
          aggregate_type: 'signal',
          aggregate_id: 'new-1',
          payload: { signal_id: 'new-1', ticker: 'NVDA' },
          created_at: T0 + 1000,
        }),
      );
      writer.appendBatch(
        [
          {
            event_type: 'ORDER_SUBMITTED',
            aggregate_type: 'order',
            aggregate_id: 'o-9',
            payload: { order_id: 'o-9', ticker: 'NVDA' },
            created_at: T0 + 2000,
          },
          {
            event_type: 'ORDER_ACCEPTED',
            aggregate_type: 'order',
            aggregate_id: 'o-9',
            payload: { order_id: 'o-9' },
            created_at: T0 + 3000,
          },
        ].map((e) => prepareEvent(e)),
      );
      const insert = 'INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
      pythonSql(seed, [
        [
          insert,
          ['c0ffee00-0000-4000-8000-000000000001', 'ORDER_ACCEPTED', 'order', 'ord_002', '{"order_id": "ord_002"}', null, T0 + 500_000, 3],
        ],
        [
          insert,
          [
            'c0ffee00-0000-4000-8000-000000000002',
            'ORDER_CANCELLED',
            'order',
            'ord_002',
            '{"order_id": "ord_002", "reason": "eod"}',
            null,
            T0 + 501_000,
            4,
          ],
        ],
      ]);
      await waitFor(() => table.stdout().includes('order:o-9#2'), 'our events in tail');
      await waitFor(() => ndjson.stdout().includes('\n'), 'the seed event in tail --ndjson');

      table.child.kill('SIGINT');
      ndjson.child.kill('SIGINT');
      expect(await table.exited).toBe(0);
      expect(await ndjson.exited).toBe(0);

      const lines = table.stdout().trimEnd().split('\n');
      expect(lines[0]).toBe('── 2025-01-01 ──');
      expect(lines.slice(1).map((l) => /(\S+:\S+#\d+)/.exec(l)?.[1])).toEqual([
        'signal:old#1',
        'signal:new-1#1',
        'order:o-9#1',
        'order:o-9#2',
      ]);
      expect(lines[2]).toMatch(/^\s+2\s+12:00:01\.000\s+SIGNAL_GENERATED\s+signal:new-1#1\s+ticker=NVDA$/);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
      const seen = ndjson
        .stdout()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event_id: string; payload: { reason: string } });
      expect(seen).toEqual([
        expect.objectContaining({ event_id: 'c0ffee00-0000-4000-8000-000000000002', payload: { order_id: 'ord_002', reason: 'eod' } }),
      ]);
      expect(ndjson.stderr()).toBe(`following ${seed} after position 8 (Ctrl-C to stop)\n`);
      // The reader made no -wal/-shm beside the rollback-journal file.
      expect(fileState(seed)).toMatchObject({ wal: false, shm: false });
    } finally {
      writer.close();
    }
  });

  it('serve prints its URL, answers on it, and stops on SIGINT with exit 0, the file untouched', async () => {
    const seed = tmp.file('serve.db');
    writeSeedLog(seed);
    const before = fileState(seed);
    const server = startBin(['serve', '--db', seed, '--port', '0']);
    await waitFor(() => /serving .* at http:\/\/127\.0\.0\.1:\d+\//.test(server.stdout()), 'serve to start', 45_000);
    const url = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(server.stdout())![1]!;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<html/i);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(fileState(seed)).toEqual(before);
  });
});
