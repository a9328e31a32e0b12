/** Rows whose JSON does not parse: shown as corrupt, named by verify, and every other row still prints. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';
import { pythonSql, T0, writeSeedLog } from './support/logs';
import { type FileState, fileState, runBin } from './support/run-bin';

describe('a log with corrupt rows', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let before: FileState;
  const badPayload = randomUUID();
  const badMetadata = randomUUID();

  beforeAll(() => {
    tmp = tempDir('cli-corrupt-');
    db = tmp.file('corrupt.db');
    writeSeedLog(db);
    const insert = 'INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    pythonSql(db, [
      [insert, [badPayload, 'ORDER_CANCELLED', 'order', 'ord_002', '{"order_id": "ord_002", "reason": "us', null, T0 + 402_000, 3]],
      [
        insert,
        [
          badMetadata,
          'POSITION_PRICE_UPDATED',
          'position',
          'pos_001',
          '{"position_id": "pos_001", "new_price": 1}',
          '{not json',
          T0 + 403_000,
          4,
        ],
      ],
    ]);
    before = fileState(db);
  });

  afterAll(() => tmp.cleanup());

  it('events, show, stats and verify all report them and keep going; the file is untouched', async () => {
    const [table, json, show, stats, verify] = await Promise.all([
      runBin(['events', '--db', db]),
      runBin(['events', '--db', db, '--json']),
      runBin(['show', 'order', 'ord_002', '--db', db]),
      runBin(['stats', '--db', db]),
      runBin(['verify', '--db', db]),
    ]);

    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^\s*\d+\s+\d\d:\d\d/.test(l));
    expect(rows).toHaveLength(10);
    expect(rows[8]).toMatch(/^\s+9\s+12:06:42\.000\s+ORDER_CANCELLED\s+order:ord_002#3\s+CORRUPT payload/);
    expect(rows[9]).toMatch(/POSITION_PRICE_UPDATED.*CORRUPT metadata/);
    expect(table.stdout.trimEnd().split('\n').at(-1)).toBe('10 events, 2 corrupt');

    const list = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(10);
    expect(list[8]).toMatchObject({
      event_id: badPayload,
      corrupt: true,
      corrupt_field: 'payload',
      raw_payload: '{"order_id": "ord_002", "reason": "us',
    });
    expect(list[9]).toMatchObject({ event_id: badMetadata, corrupt: true, corrupt_field: 'metadata', raw_metadata: '{not json' });

    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/\nstatus\s+rejected\n/);
    expect(show.stdout).toContain(`! #3 ORDER_CANCELLED ${badPayload}: corrupt payload, skipped`);

    expect(stats.stdout).toMatch(/\ncorrupt rows\s+2 \(catalyst-events verify names them\)\n/);

    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('✗ corrupt rows: 2 (JSON that does not parse)');
    expect(verify.stdout).toMatch(
      new RegExp(`\\n {6}ORDER_CANCELLED order:ord_002#3\\n {8}event ${badPayload} · position 9\\n {8}payload: \\S`),
    );
    expect(verify.stdout).toMatch(
      new RegExp(`\\n {6}POSITION_PRICE_UPDATED position:pos_001#4\\n {8}event ${badMetadata} · position 10\\n {8}metadata: \\S`),
    );
    expect(verify.stdout).toContain('✓ sequences');
    expect(verify.stdout.trimEnd().split('\n').at(-1)).toBe('problems found');

    expect(fileState(db)).toEqual(before);
  });
});
