import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src-core/events/types';
import { runForward } from '../../src-core/forward/forwarder';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../support/postgres';
import { tempDir } from '../support/temp';
import { preparedAll } from '../support/prepared-event';

/**
 * Issue 18 item 1: no row stops the forwarder. A log with good rows around every kind of row
 * PostgreSQL cannot hold as it is; each bad row lands in forward_dead_letters with its reason,
 * every good row in event_log, the checkpoint reaches the head, and a re-run adds nothing.
 */
const pgAvailable = postgresAvailability().available;
const T0 = Date.UTC(2026, 2, 3, 8, 0);

let n = 0;
const uuid = () => `0190b000-0000-7000-8000-${String(++n).padStart(12, '0')}`;

function good(count: number, id: string): NewEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    event_type: 'TICKED',
    aggregate_type: 'meter',
    aggregate_id: id,
    payload: { n: k },
    created_at: T0 + k,
  }));
}

/** A bad row: [label, SQL expression values for (event_id, aggregate_id, payload, created_at, sequence_number), reason pattern]. */
interface Odd {
  label: string;
  eventId: string;
  aggregateId: string;
  payload: string;
  createdAt: string;
  sequence: string;
  reason: RegExp;
}

function oddRows(): Odd[] {
  const row = (label: string, fields: Partial<Odd>, reason: RegExp): Odd => ({
    label,
    eventId: `'${uuid()}'`,
    aggregateId: `'odd-${n}'`,
    payload: `'{"n":1}'`,
    createdAt: String(T0),
    sequence: '1',
    reason,
    ...fields,
  });
  return [
    row('created_at stored as text', { createdAt: `'yesterday'` }, /created_at is "yesterday"/),
    row('created_at a fractional number', { createdAt: `${T0}.5` }, /created_at .* not Unix milliseconds/),
    row('a NUL byte in the payload', { payload: `'{"n":"a' || char(0) || 'b"}'` }, /payload contains a NUL/),
    row('a NUL byte in the aggregate id', { aggregateId: `'odd' || char(0) || 'x'` }, /aggregate_id contains a NUL/),
    row('a blob payload with a NUL', { payload: `x'00ff01'` }, /payload contains a NUL/),
    row('sequence_number stored as text', { sequence: `'2a'` }, /sequence_number is "2a"/),
    row('an aggregate id too large to index', { aggregateId: 'hex(randomblob(6000))' }, /PostgreSQL refused it/),
    // Two ids that differ only in a lone surrogate (UTF-8 bytes ED A0 80 vs ED AF BF): read back,
    // both are "agg-\ufffd\ufffd\ufffd" at sequence 1, so the second collides with the first.
    row('lone surrogate id (first)', { aggregateId: `CAST(x'6167672DEDA080' AS TEXT)` }, /./),
    row('lone surrogate id (second)', { aggregateId: `CAST(x'6167672DEDAFBF' AS TEXT)` }, /a second event at one sequence number/),
  ];
}

function insertOdd(file: string, rows: readonly Odd[]): void {
  const db = new Database(file);
  for (const r of rows) {
    db.exec(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES (${r.eventId}, 'TICKED', 'meter', ${r.aggregateId}, ${r.payload}, NULL, ${r.createdAt}, ${r.sequence})`,
    );
  }
  db.close();
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!pgAvailable)('forwarder: odd rows among good ones', () => {
  let cluster: PostgresCluster;
  const tmp = tempDir('catalyst-hardening-fwd-');
  let db = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => {
    cluster?.stop();
    tmp.cleanup();
  });

  /** good rows, the odd ones, more good rows: 22 good in all. */
  function writeLog(name: string): { file: string; odd: Odd[]; goodIds: string[] } {
    const file = tmp.file(name);
    const store = SqliteEventStore.open({ file });
    const goodIds = store.appendBatch(preparedAll(good(12, `${name}-a`))).map((e) => e.event_id);
    store.close();
    const odd = oddRows();
    insertOdd(file, odd);
    const again = SqliteEventStore.open({ file });
    goodIds.push(...again.appendBatch(preparedAll(good(10, `${name}-b`))).map((e) => e.event_id));
    again.close();
    return { file, odd, goodIds };
  }

  it.each([
    ['one batch holding every row', 1000],
    ['batches of 4', 4],
    ['one row per batch', 1],
  ])(
    '%s: every good row shipped, every odd one dead-lettered with its reason, checkpoint at the head; a re-run adds nothing',
    async (_label, batchSize) => {
      const url = await cluster.createDatabase(`odd_${++db}`);
      const { file, odd, goodIds } = writeLog(`odd-${db}.db`);
      const logged: string[] = [];
      const first = await runForward({ db: file, to: url, source: 'odd', batchSize, progress: null, log: (m) => logged.push(m) });
      // The first lone-surrogate row ships (as its mangled id); the second collides with it.
      const deadCount = odd.length - 1;
      expect(first).toMatchObject({ forwarded: goodIds.length + 1, deadLettered: deadCount, position: first.head });

      const shipped = await query<{ event_id: string }>(url, 'SELECT event_id FROM event_log');
      expect(shipped.map((r) => r.event_id)).toEqual(expect.arrayContaining(goodIds));
      const dead = await query<{ source_position: number; event_id: string | null; reason: string; row_json: string }>(
        url,
        'SELECT source_position::int, event_id, reason, row_json FROM forward_dead_letters ORDER BY source_position',
      );
      expect(dead).toHaveLength(deadCount);
      const expectedDead = odd.filter((o) => o.label !== 'lone surrogate id (first)');
      for (const [i, o] of expectedDead.entries()) expect(dead[i]!.reason, o.label).toMatch(o.reason);
      // The row itself travels as JSON text (a NUL escaped as \u0000), so nothing is lost.
      expect(dead.map((d) => (JSON.parse(d.row_json) as { position: number }).position)).toEqual(dead.map((d) => d.source_position));
      expect(dead.filter((d) => /NUL/.test(d.reason) && d.row_json.includes('\\u0000'))).toHaveLength(3);
      // Reported, one line per row.
      expect(logged.filter((m) => /forward_dead_letters/.test(m))).toHaveLength(deadCount);

      const second = await runForward({ db: file, to: url, source: 'odd', batchSize, progress: null, log: () => undefined });
      expect(second).toMatchObject({ forwarded: 0, deadLettered: 0, duplicates: 0, position: first.position });
      const [counts] = await query<{ rows: string; dead: string }>(
        url,
        'SELECT (SELECT COUNT(*) FROM event_log) AS rows, (SELECT COUNT(*) FROM forward_dead_letters) AS dead',
      );
      expect(Number(counts!.rows)).toBe(goodIds.length + 1);
      expect(Number(counts!.dead)).toBe(deadCount);
    },
  );

  it('rows appended after the odd ones keep flowing in follow mode', async () => {
    const url = await cluster.createDatabase(`odd_${++db}`);
    const { file, goodIds } = writeLog(`follow-${db}.db`);
    const controller = new AbortController();
    const running = runForward({
      db: file,
      to: url,
      source: 'follow',
      follow: true,
      pollMs: 20,
      batchSize: 3,
      signal: controller.signal,
      progress: null,
      log: () => undefined,
    });
    const store = SqliteEventStore.open({ file });
    const later = store.appendBatch(preparedAll(good(5, 'later'))).map((e) => e.event_id);
    store.close();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await query<{ n: string }>(url, 'SELECT COUNT(*) AS n FROM event_log WHERE event_id = ANY($1)', [later]).catch(() => [
        { n: '0' },
      ]);
      if (Number(rows[0]!.n) === later.length) break;
      if (Date.now() > deadline) throw new Error('later rows never arrived');
      await new Promise((r) => setTimeout(r, 25));
    }
    controller.abort();
    const result = await running;
    expect(result.forwarded).toBe(goodIds.length + 1 + later.length);
  });
});
