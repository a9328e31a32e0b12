/**
 * A log written by the seed's own Python (rollback-journal mode, no additions of ours):
 * the CLI reads it read-only, leaves it byte-identical and creates no -wal/-shm beside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';
import { writeSeedLog } from './support/logs';
import { type FileState, fileState, runBin } from './support/run-bin';

describe('a log written by the seed’s Python bot', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let ids: Record<string, string>;
  let before: FileState;

  beforeAll(() => {
    tmp = tempDir('cli-seed-');
    db = tmp.file('seed.db');
    ids = writeSeedLog(db);
    before = fileState(db);
    expect(before).toMatchObject({ wal: false, shm: false, journal: false });
  });

  afterAll(() => tmp.cleanup());

  it('every read command works on it and leaves it byte-identical, with no -wal/-shm', async () => {
    const [events, position, rejected, traced, byOrder, stats, verify] = await Promise.all([
      runBin(['events', '--db', db, '--json']),
      runBin(['show', 'position', 'pos_001', '--db', db, '--json']),
      runBin(['show', 'order', 'ord_002', '--db', db]),
      runBin(['trace', 'sig_001', '--db', db]),
      runBin(['trace', 'ord_002', '--db', db, '--json']),
      runBin(['stats', '--db', db, '--json']),
      runBin(['verify', '--db', db]),
    ]);

    const list = JSON.parse(events.stdout) as { event_type: string; position: number; metadata: { source: string } }[];
    expect(list.map((e) => e.event_type)).toEqual([
      'SIGNAL_GENERATED',
      'ORDER_SUBMITTED',
      'ORDER_FILLED',
      'POSITION_OPENED',
      'POSITION_PRICE_UPDATED',
      'POSITION_CLOSED',
      'ORDER_SUBMITTED',
      'ORDER_REJECTED',
    ]);
    expect(list.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // rowid order on a file without our position table
    expect(list[0]!.metadata.source).toBe('seed_bot');

    const state = JSON.parse(position.stdout) as { status: string; realized_pnl: number; exit_reason: string };
    expect(state).toMatchObject({ status: 'closed', realized_pnl: 535, exit_reason: 'take_profit' });
    expect(rejected.stdout).toMatch(/^order:ord_002 · version 2 of 2 · last ORDER_REJECTED at 2025-01-01 12:06:41\.000 UTC\n/);
    expect(rejected.stdout).toMatch(/\nstatus\s+rejected\n/);

    // The causal chain signal → order → fill → position → price → close reads straight down.
    expect(traced.code).toBe(0);
    const chain = traced.stdout.split('\n').filter((l) => /^\d\d:\d\d/.test(l));
    expect(chain.map((l) => /^\S+ {2}\+.+? {2,}([A-Z_]+) /.exec(l)?.[1])).toEqual([
      'SIGNAL_GENERATED',
      'ORDER_SUBMITTED',
      'ORDER_FILLED',
      'POSITION_OPENED',
      'POSITION_PRICE_UPDATED',
      'POSITION_CLOSED',
    ]);
    expect(traced.stdout).toContain('12:05:00.000  +5m 00s    POSITION_CLOSED position:pos_001#3');
    const other = JSON.parse(byOrder.stdout) as {
      resolved_as: string;
      correlation_ids: string[];
      events: { event_id: string; depth: number }[];
    };
    expect(other).toMatchObject({ resolved_as: 'aggregate', correlation_ids: ['sig_002'] });
    expect(other.events.map((e) => [e.event_id, e.depth])).toEqual([
      [ids.sub2, 0],
      [ids.rej, 1],
    ]);

    expect(JSON.parse(stats.stdout)).toMatchObject({
      total: 8,
      corrupt: 0,
      aggregates: 4,
      byAggregateType: { signal: 1, order: 4, position: 3 },
    });
    expect(verify.stdout).toContain('✓ schemas: 8 events valid');
    expect(verify.code).toBe(0);

    for (const r of [events, position, rejected, traced, byOrder, stats, verify]) expect(r.stderr).toBe('');
    expect(fileState(db)).toEqual(before);
  });
});
