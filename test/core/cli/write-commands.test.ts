/** snapshot / rebuild-all write snapshots; verify checks them and the log's integrity. */
import { randomUUID } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { pythonSql, T0, writeSeedLog } from './support/logs';
import { runBin } from './support/run-bin';

function snapshotsOf(file: string): { key: string; reducer_version: number | null; last_sequence_number: number }[] {
  const store = SqliteEventStore.open({ file, readOnly: true });
  try {
    return store.connection
      .prepare(
        "SELECT aggregate_type || ':' || aggregate_id AS key, reducer_version, last_sequence_number FROM event_snapshots ORDER BY key",
      )
      .all() as { key: string; reducer_version: number | null; last_sequence_number: number }[];
  } finally {
    store.close();
  }
}

describe('snapshot, rebuild-all and verify', () => {
  let tmp: ReturnType<typeof tempDir>;
  let seed: string;

  beforeAll(() => {
    tmp = tempDir('cli-write-');
    seed = tmp.file('seed.db');
    writeSeedLog(seed);
  });

  afterAll(() => tmp.cleanup());

  it('snapshot writes one per aggregate at its current state; verify then catches a tampered one', async () => {
    const db = tmp.file('snap.db');
    copyFileSync(seed, db);
    const first = await runBin(['snapshot', '--db', db]);
    expect(first.stdout).toBe('snapshots written: 4, already current: 0, skipped: 0\n');
    expect(first.code).toBe(0);
    expect(snapshotsOf(db)).toEqual([
      { key: 'order:ord_001', reducer_version: expect.any(Number) as number, last_sequence_number: 2 },
      { key: 'order:ord_002', reducer_version: expect.any(Number) as number, last_sequence_number: 2 },
      { key: 'position:pos_001', reducer_version: expect.any(Number) as number, last_sequence_number: 3 },
      { key: 'signal:sig_001', reducer_version: expect.any(Number) as number, last_sequence_number: 1 },
    ]);

    const [again, show, clean] = await Promise.all([
      runBin(['snapshot', 'order', '--db', db]),
      runBin(['show', 'position', 'pos_001', '--db', db]),
      runBin(['verify', '--db', db]),
    ]);
    expect(again.stdout).toBe('snapshots written: 0, already current: 2, skipped: 0\n');
    expect(show.stdout).toContain('from a snapshot + 0 event(s)');
    expect(show.stdout).toMatch(/\nstatus\s+closed\n/);
    expect(clean.stdout).toContain('✓ snapshots: 4 agree with a rebuild');
    expect(clean.code).toBe(0);

    pythonSql(db, [["UPDATE event_snapshots SET state = json_set(state, '$.realized_pnl', 1e6) WHERE aggregate_id = 'pos_001'", []]]);
    const tampered = await runBin(['verify', '--db', db]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('✗ snapshots: 1 of 4 disagree with a rebuild');
    expect(tampered.stdout).toMatch(
      /\n {6}position:pos_001, snapshot at sequence 3\n {8}differs from a rebuild: \$\.realized_pnl: rebuilt 535, snapshot 1000000\n/,
    );
  });

  it('rebuild-all snapshots per the config policy, found from the working directory', async () => {
    copyFileSync(seed, tmp.file('policy.db'));
    writeFileSync(tmp.file('catalyst-events.config.json'), JSON.stringify({ snapshots: { every: 3 } }));
    const result = await runBin(['rebuild-all', '--db', 'policy.db'], { cwd: tmp.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'order: 2 rebuilt (4 events folded, 0 from a snapshot), 0 snapshots written',
        'position: 1 rebuilt (3 events folded, 0 from a snapshot), 1 snapshot written',
        'signal: 1 rebuilt (1 event folded, 0 from a snapshot), 0 snapshots written',
        '',
      ].join('\n'),
    );
    expect(snapshotsOf(tmp.file('policy.db')).map((s) => s.key)).toEqual(['position:pos_001']);
    const json = await runBin(['rebuild-all', 'position', '--db', 'policy.db', '--json'], { cwd: tmp.dir });
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ aggregateType: 'position', aggregates: 1, fromSnapshot: 1, events: 0 }),
    ]);
  });

  it('verify names gapped and duplicate sequences and schema violations by type', async () => {
    const db = tmp.file('broken.db');
    writeSeedLog(db, { withMigration: false }); // the seed's _init_schema: no UNIQUE on sequences
    const insert = 'INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    const meta = JSON.stringify({ source: 'seed_bot', correlation_id: null, causation_id: null, user_id: null, version: '1.0' });
    const dup = randomUUID();
    const bad = randomUUID();
    pythonSql(db, [
      [
        insert,
        [dup, 'ORDER_ACCEPTED', 'order', 'ord_001', JSON.stringify({ order_id: 'ord_001', broker_order_id: 'B1' }), meta, T0 + 1500, 2],
      ],
      [
        insert,
        [
          randomUUID(),
          'ORDER_CANCELLED',
          'order',
          'ord_002',
          JSON.stringify({ order_id: 'ord_002', reason: 'late' }),
          meta,
          T0 + 500_000,
          5,
        ],
      ],
      [
        insert,
        [
          bad,
          'ORDER_SUBMITTED',
          'order',
          'ord_003',
          JSON.stringify({ order_id: 'ord_003', ticker: 'MSFT', side: 'buy', quantity: 'lots', order_type: 'market' }),
          meta,
          T0 + 600_000,
          1,
        ],
      ],
      [
        insert,
        [
          randomUUID(),
          'PORTFOLIO_SNAPSHOT_CREATED',
          'portfolio',
          'main',
          JSON.stringify({ cash: 1, equity: 2, positions: [] }),
          meta,
          T0 + 700_000,
          1,
        ],
      ],
    ]);
    const [text, json] = await Promise.all([runBin(['verify', '--db', db]), runBin(['verify', '--db', db, '--json'])]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('✗ sequences: 1 gap(s), 1 duplicate(s)');
    expect(text.stdout).toContain('order:ord_002  gap: missing 3..4');
    expect(text.stdout).toMatch(new RegExp(`order:ord_001  duplicate: 2 appears 2 times\\n {8}event [0-9a-f-]{36}\\n {8}event ${dup}\\n`));
    expect(text.stdout).toContain('✗ schemas: 1 of 11 events invalid\n      not checked, no plugin knows: PORTFOLIO_SNAPSHOT_CREATED ×1\n');
    expect(text.stdout).toMatch(new RegExp(`\\n {6}ORDER_SUBMITTED ×1\\n {8}order:ord_003#1  event ${bad}\\n {10}payload\\.quantity: `));
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      sequences: { kind: string; aggregate_id: string }[];
      schema: { invalid: number; unknownTypes: Record<string, number>; invalidByType: Record<string, { count: number }> };
    };
    expect(report.ok).toBe(false);
    expect(report.sequences.map((p) => `${p.kind}:${p.aggregate_id}`).sort()).toEqual(['duplicate:ord_001', 'gap:ord_002']);
    expect(report.schema).toMatchObject({
      invalid: 1,
      unknownTypes: { PORTFOLIO_SNAPSHOT_CREATED: 1 },
      invalidByType: { ORDER_SUBMITTED: { count: 1 } },
    });
  });
});
