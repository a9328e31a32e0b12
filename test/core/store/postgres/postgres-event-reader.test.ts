import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReader, EventRecord, NewEvent } from '../../../../src-core';
import { isReadOnlyStoreError, isStoreOpenError } from '../../../../src-core';
import { runForward } from '../../../../src-core/forward/forwarder';
import { openPostgresReader, type PostgresEventReader } from '../../../../src-core/store/postgres/postgres-event-reader';
import { SqliteEventStore } from '../../../../src-core/store/sqlite/sqlite-event-store';
import { prepared, preparedAll } from '../../../support/prepared-event';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../../../support/postgres';
import { tempDir } from '../../../support/temp';
import { describeEventReaderContract } from '../reader-contract';
import { forwardedReader, QUIET } from './pg-fixtures';

const pgAvailable = postgresAvailability().available;
const T0 = Date.UTC(2026, 1, 2, 9, 0);

describe.skipIf(!pgAvailable)('PostgreSQL EventReader', () => {
  let cluster: PostgresCluster;
  let dbCounter = 0;
  const nextDb = () => `reader_${++dbCounter}`;

  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  describeEventReaderContract('PostgreSQL (forwarded from a SQLite file)', async (events) =>
    forwardedReader(cluster, nextDb(), events, { batchSize: 7 }),
  );

  describe('same answers as the SQLite file it was forwarded from', () => {
    let sqlite: SqliteEventStore;
    let postgres: PostgresEventReader;
    let url: string;
    let tmp: ReturnType<typeof tempDir>;
    const aggregates: [string, string][] = [];
    const correlations = ['c-0', 'c-1', 'c-2', 'missing'];

    beforeAll(async () => {
      tmp = tempDir('catalyst-pgcmp-');
      const file = tmp.file('bot.db');
      const store = SqliteEventStore.open({ file });
      const events: NewEvent[] = [];
      for (let i = 0; i < 120; i++) {
        const type = ['order', 'position', 'risk'][i % 3]!;
        const id = type === 'risk' ? 'book' : `${type}-${i % 7}`;
        events.push({
          event_type: `${type.toUpperCase()}_${i % 4 === 0 ? 'OPENED' : 'UPDATED'}`,
          aggregate_type: type,
          aggregate_id: id,
          payload: { i, price: 100 + i / 8, note: i === 33 ? 'Ünïcode NEEDLE 🚀' : `n${i}`, nested: { list: [i, null, true] } },
          metadata: { source: i % 2 ? 'paper-bot' : 'risk-desk', correlation_id: correlations[i % 3]!, causation_id: null, run_id: 'r1' },
          created_at: T0 + i * 500,
        });
      }
      store.appendBatch(preparedAll(events));
      // Rows our writer would never produce, as a seed-era bot or a torn write might leave them.
      const raw = store.connection.prepare(
        `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      raw.run('raw-null-meta', 'ORDER_UPDATED', 'order', 'order-1', '{"i": 1000,  "spaced" : 1.0}', null, T0 + 60_000, 100);
      raw.run(
        'raw-bad-payload',
        'ORDER_UPDATED',
        'order',
        'order-2',
        '{"i": 1001, truncated',
        '{"correlation_id":"c-1"}',
        T0 + 60_500,
        100,
      );
      raw.run('raw-bad-meta', 'ORDER_UPDATED', 'order', 'order-3', '{"i": 1002}', '{not json', T0 + 61_000, 100);
      raw.run('raw-array', 'ORDER_UPDATED', 'order', 'order-4', '[1, 2]', '{"correlation_id": 7}', T0 + 61_500, 100);
      raw.run('raw-null-seq', 'RISK_UPDATED', 'risk', 'book', '{"i": 1003}', '{"correlation_id":"c-2"}', T0 + 62_000, null);
      store.close();
      sqlite = SqliteEventStore.open({ file, readOnly: true });
      url = await cluster.createDatabase(nextDb());
      const result = await runForward({ db: file, to: url, batchSize: 16, ...QUIET });
      expect(result.forwarded).toBe(125);
      postgres = await openPostgresReader(url);
      for (const r of (await sqlite.readPage({}, { limit: 1000 })).records) {
        if (!aggregates.some(([t, i]) => t === r.aggregate_type && i === r.aggregate_id))
          aggregates.push([r.aggregate_type, r.aggregate_id]);
      }
    });
    afterAll(async () => {
      await postgres?.close();
      sqlite?.close();
      tmp?.cleanup();
    });

    /** Positions are each backend's own; everything else must be identical. */
    const strip = (records: EventRecord[]) => records.map(({ position: _p, ...rest }) => rest);

    async function allPages(reader: EventReader, filter: Parameters<EventReader['readPage']>[0], direction?: 'backward') {
      const out: EventRecord[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await reader.readPage(filter, { after, limit: 11, direction });
        out.push(...page.records);
        if (page.next === null) return out;
        after = page.next;
      }
    }

    it('keeps every row byte for byte, corrupt ones included', async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const pgRows = (await client.query('SELECT event_id, payload, metadata FROM event_log ORDER BY global_position')).rows;
        const fileRows = sqlite.readRawBatchSync(0, 1000).map(({ event_id, payload, metadata }) => ({ event_id, payload, metadata }));
        expect(fileRows).toHaveLength(125);
        expect(pgRows).toEqual(fileRows);
      } finally {
        await client.end();
      }
    });

    it('inspection: raw batches, corrupt-row pages and sequence checks agree with the file', async () => {
      const pgReader = await openPostgresReader(url);
      try {
        const strip = (rows: { position: number }[]) => rows.map(({ position: _position, ...rest }) => rest);
        for (const [after, limit] of [
          [0, 7],
          [100, 50],
          [120, 10],
        ] as const) {
          // Positions differ (PostgreSQL numbers across sources); the rows do not.
          const fileRows = sqlite.readRawBatchSync(after, limit);
          const pgRows = await pgReader.readRawBatch(after, limit);
          expect(strip(pgRows)).toEqual(strip(fileRows));
        }
        const pages = async (inspector: {
          corruptRows(p: {
            after?: number;
            limit: number;
          }): Promise<{ records: { event_id: string; field: string }[]; next: number | null }>;
        }) => {
          const ids: string[] = [];
          let after: number | undefined;
          for (;;) {
            const page = await inspector.corruptRows({ ...(after !== undefined ? { after } : {}), limit: 1 });
            ids.push(...page.records.map((r) => `${r.event_id}:${r.field}`));
            if (page.next === null) return ids;
            after = page.next;
          }
        };
        const expected = ['raw-bad-payload:payload', 'raw-bad-meta:metadata', 'raw-array:payload'];
        expect(await pages(sqlite)).toEqual(expected);
        expect(await pages(pgReader)).toEqual(expected);
        const fileSequences = await sqlite.checkSequences();
        expect(fileSequences.problems.map((p) => `${p.aggregate_id}:${p.kind}:${p.detail}:${p.event_ids.join(',')}`)).toEqual([
          // The raw rows took sequence 100 after the writer's own 1..5 (or 1..6): a gap each.
          'order-1:gap:missing 6..99:',
          'order-2:gap:missing 7..99:',
          'order-3:gap:missing 7..99:',
          'order-4:gap:missing 6..99:',
          'book:no_sequence:1 event(s) without a sequence number:raw-null-seq',
        ]);
        expect(await pgReader.checkSequences()).toEqual(fileSequences);
        expect((await sqlite.integrityCheck()).ok).toBe(true);
        expect(await pgReader.integrityCheck()).toEqual({ check: 'PostgreSQL catalog check', ok: true, lines: ['ok'] });
      } finally {
        await pgReader.close();
      }
    });

    it('events: the global stream, forward and backward, with every filter', async () => {
      const filters = [
        {},
        { types: ['ORDER_OPENED', 'RISK_UPDATED'] },
        { aggregateType: 'order' },
        { aggregateType: 'risk', aggregateId: 'book' },
        { correlationId: 'c-1' },
        { since: T0 + 10_000, until: T0 + 20_000 },
        { text: 'needle' },
        { text: '50%_' },
      ];
      for (const filter of filters) {
        const [a, b] = await Promise.all([allPages(sqlite, filter), allPages(postgres, filter)]);
        expect(strip(b), JSON.stringify(filter)).toEqual(strip(a));
        const [c, d] = await Promise.all([allPages(sqlite, filter, 'backward'), allPages(postgres, filter, 'backward')]);
        expect(strip(d)).toEqual(strip(c));
      }
      const all = await allPages(postgres, {});
      expect(all).toHaveLength(125);
      expect(all.filter((r) => 'corrupt' in r).map((r) => r.event_id)).toEqual(['raw-bad-payload', 'raw-bad-meta', 'raw-array']);
    });

    it('show: aggregate reads, ranges, versions and single events', async () => {
      for (const [type, id] of aggregates) {
        expect(strip(await postgres.readAggregate(type, id))).toEqual(strip(await sqlite.readAggregate(type, id)));
        const range = { fromSequence: 2, toSequence: 5, untilTime: T0 + 40_000 };
        expect(strip(await postgres.readAggregate(type, id, range))).toEqual(strip(await sqlite.readAggregate(type, id, range)));
        expect(await postgres.aggregateVersion(type, id)).toBe(await sqlite.aggregateVersion(type, id));
      }
      for (const id of ['raw-null-meta', 'raw-bad-payload', 'raw-array', 'nope']) {
        const [a, b] = [await sqlite.getEvent(id), await postgres.getEvent(id)];
        expect(b && strip([b])).toEqual(a && strip([a]));
      }
      expect(await postgres.listAggregates()).toEqual(await sqlite.listAggregates());
      expect(await postgres.listAggregates({ aggregateType: 'order', afterId: 'order-3', limit: 2 })).toEqual(
        await sqlite.listAggregates({ aggregateType: 'order', afterId: 'order-3', limit: 2 }),
      );
    });

    it('trace: correlation reads in global order', async () => {
      for (const c of correlations) {
        expect(strip(await postgres.readByCorrelation(c))).toEqual(strip(await sqlite.readByCorrelation(c)));
      }
      // A numeric correlation_id matches nothing on either side.
      expect(await postgres.readByCorrelation('7')).toEqual(await sqlite.readByCorrelation('7'));
    });

    it('stats match, except what only a file has', async () => {
      const [a, b] = await Promise.all([sqlite.stats(), postgres.stats()]);
      expect({ ...b, fileBytes: 0 }).toEqual({ ...a, fileBytes: 0 });
      expect(b.fileBytes).toBeNull();
      expect(b.corrupt).toBe(3); // what reads flag: bad JSON, bad metadata JSON, and the array payload
    });
  });

  describe('opening and safety', () => {
    it('refuses a database nothing was forwarded to', async () => {
      const url = await cluster.createDatabase(nextDb());
      const error = await openPostgresReader(url).catch((e: unknown) => e);
      expect(isStoreOpenError(error)).toBe(true);
      expect(String(error)).toMatch(/no event_log table/);
    });

    it('names an unreachable server without leaking the password', async () => {
      const error = await openPostgresReader(`postgres://bot:s3cret@127.0.0.1:1/x`, { connectionTimeoutMs: 2000 }).catch((e: unknown) => e);
      expect(isStoreOpenError(error)).toBe(true);
      expect(String(error)).toContain('***');
      expect(String(error)).not.toContain('s3cret');
    });

    it('reads through read-only sessions and has no snapshots to write', async () => {
      const { reader, url, cleanup } = await forwardedReader(cluster, nextDb(), [
        { event_type: 'X', aggregate_type: 'a', aggregate_id: '1', payload: {} },
      ]);
      try {
        expect(reader.readOnly).toBe(true);
        expect(await reader.loadSnapshot()).toBeNull();
        expect(() => reader.saveSnapshot()).toThrow(/read-only/);
        try {
          reader.saveSnapshot();
        } catch (e) {
          expect(isReadOnlyStoreError(e)).toBe(true);
        }
        // The pool's sessions refuse writes even though the role could write.
        const pool = (reader as unknown as { pool: pg.Pool }).pool;
        await expect(pool.query("INSERT INTO catalyst_meta VALUES ('x', 'y')")).rejects.toThrow(/read-only transaction/);
        expect(url).toContain('127.0.0.1');
        await reader.close();
        await expect(reader.headPosition()).rejects.toThrow(/closed/);
      } finally {
        await cleanup();
      }
    });

    it('scoped to one source, answers like that source alone', async () => {
      const url = await cluster.createDatabase(nextDb());
      const tmp = tempDir('catalyst-pgscope-');
      try {
        for (const bot of ['alpha', 'beta']) {
          const store = SqliteEventStore.open({ file: tmp.file(`${bot}.db`) });
          for (let i = 0; i < (bot === 'alpha' ? 5 : 8); i++) {
            store.append(prepared({ event_type: 'RISK_UPDATED', aggregate_type: 'risk', aggregate_id: 'book', payload: { bot, i } }));
          }
          store.close();
          await runForward({ db: tmp.file(`${bot}.db`), to: url, source: bot, ...QUIET });
        }
        const all = await openPostgresReader(url);
        const beta = await openPostgresReader(url, { source: 'beta' });
        try {
          expect((await all.readAggregate('risk', 'book')).length).toBe(13);
          const betaBook = await beta.readAggregate('risk', 'book');
          expect(betaBook.map((e) => e.sequence_number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
          expect(await beta.aggregateVersion('risk', 'book')).toBe(8);
          expect((await beta.stats()).total).toBe(8);
          expect((await beta.listAggregates())[0]).toMatchObject({ aggregate_id: 'book', version: 8, events: 8 });
          expect((await all.readPage({ source: 'alpha' }, { limit: 100 })).records).toHaveLength(5);
          expect(await all.listSources()).toMatchObject([
            { source: 'alpha', events: 5, checkpoint: 5 },
            { source: 'beta', events: 8, checkpoint: 8 },
          ]);
          expect(await beta.headPosition()).toBe(await all.headPosition());
          // Each source's risk:book is numbered 1.. on its own: no duplicates across sources.
          expect(await all.checkSequences()).toEqual({ aggregates: 2, problems: [] });
          expect(await beta.checkSequences()).toEqual({ aggregates: 1, problems: [] });
        } finally {
          await all.close();
          await beta.close();
        }
      } finally {
        tmp.cleanup();
      }
    });
  });
});
