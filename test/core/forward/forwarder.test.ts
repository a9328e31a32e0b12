import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../src-core';
import { isStoreOpenError } from '../../../src-core';
import { runForward } from '../../../src-core/forward/forwarder';
import type { ForwardProgress } from '../../../src-core/forward/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../../support/postgres';
import { tempDir } from '../../support/temp';
import { prepared, preparedAll } from '../../support/prepared-event';

const pgAvailable = postgresAvailability().available;
// node itself runs the worker (tsx as a loader), so SIGKILL hits the process doing the work, not a wrapper.
const NODE_ARGS = ['--import', 'tsx'];
const WORKER = 'test/core/forward/fixtures/forward-worker.ts';
const QUIET = { progress: null, log: () => undefined } as const;
const T0 = Date.UTC(2026, 2, 3, 8, 0);

/** A bot's log: orders of its own, plus the `risk:book` aggregate every bot has. */
function botEvents(bot: string, count: number, from = 0): NewEvent[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const risk = i % 4 === 0;
    return {
      event_type: risk ? 'RISK_LIMIT_CHECKED' : 'ORDER_SUBMITTED',
      aggregate_type: risk ? 'risk' : 'order',
      aggregate_id: risk ? 'book' : `${bot}-o${i % 10}`,
      payload: { bot, i },
      metadata: { source: bot, correlation_id: `${bot}-c${i % 5}` },
      created_at: T0 + i,
    };
  });
}

function writeBot(file: string, bot: string, count: number): void {
  const store = SqliteEventStore.open({ file });
  for (let i = 0; i < count; i += 250) store.appendBatch(preparedAll(botEvents(bot, Math.min(250, count - i), i)));
  store.close();
}

/** A file as the seed's EventStore._init_schema makes it (no UNIQUE, none of our tables), rows inserted as given. */
function writeSeedRows(file: string, rows: [string, string, string, string, string, string | null, number, number][]): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
           aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER)`);
  const insert = db.prepare('INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const row of rows) insert.run(...row);
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

async function counts(url: string, source?: string) {
  const where = source === undefined ? '' : 'WHERE source = $1';
  const [row] = await query<{ n: string; ids: string; positions: string; max: string | null }>(
    url,
    `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, COUNT(DISTINCT (source, source_position)) AS positions,
            MAX(source_position) AS max FROM event_log ${where}`,
    source === undefined ? [] : [source],
  );
  return {
    rows: Number(row!.n),
    distinctIds: Number(row!.ids),
    distinctPositions: Number(row!.positions),
    maxPosition: Number(row!.max ?? 0),
  };
}

/** Row count for polling: 0 until the forwarder has created the table. */
async function rowsNow(url: string): Promise<number> {
  try {
    return (await counts(url)).rows;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0;
    throw error;
  }
}

async function checkpoint(url: string, source: string): Promise<number | null> {
  const [row] = await query<{ position: string }>(url, 'SELECT position FROM forward_checkpoints WHERE source = $1', [source]);
  return row ? Number(row.position) : null;
}

/** Waits (bounded) for a condition another actor makes true; never asserts on elapsed time. */
async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every worker this file started, so a failed test cannot leave one holding a transaction. */
const spawned: ChildProcess[] = [];

/** A forwarder child process and its JSON lines. */
function startWorker(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [...NODE_ARGS, WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(child);
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(JSON.parse(l) as Record<string, unknown>));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    lines,
    exited,
    stderr: () => stderr,
    async waitFor(key: string): Promise<Record<string, unknown>> {
      let found: Record<string, unknown> | undefined;
      await until(() => {
        found = lines.find((l) => key in l);
        if (!found && child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${stderr}`);
        return !!found;
      }, `worker line '${key}'`);
      return found!;
    },
    async kill(): Promise<void> {
      child.kill('SIGKILL');
      expect((await exited).signal).toBe('SIGKILL');
    },
  };
}

describe.skipIf(!pgAvailable)('forwarder: SQLite log to PostgreSQL', () => {
  let cluster: PostgresCluster;
  let tmp: ReturnType<typeof tempDir>;
  let dbCounter = 0;
  const newDb = () => cluster.createDatabase(`fwd_${++dbCounter}`);

  beforeAll(async () => {
    cluster = await startPostgres();
    tmp = tempDir('catalyst-fwd-');
  });
  afterAll(() => {
    for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    cluster?.stop();
    tmp?.cleanup();
  });

  it('ships two bots into one database: every event once, counts match the files, per-source sequences', async () => {
    const url = await newDb();
    const a = tmp.file('alpha.db');
    const b = tmp.file('beta.db');
    writeBot(a, 'alpha', 700);
    writeBot(b, 'beta', 450);
    const [ra, rb] = await Promise.all([
      runForward({ db: a, to: url, batchSize: 64, ...QUIET }),
      runForward({ db: b, to: url, batchSize: 100, ...QUIET }),
    ]);
    expect([ra.forwarded, rb.forwarded]).toEqual([700, 450]);
    expect(ra.source).toMatch(/^alpha\.db@\d+$/);
    expect(ra.source).not.toBe(rb.source);
    expect(ra.position).toBe(ra.head);
    expect(await counts(url, ra.source!)).toEqual({ rows: 700, distinctIds: 700, distinctPositions: 700, maxPosition: 700 });
    expect(await counts(url, rb.source!)).toEqual({ rows: 450, distinctIds: 450, distinctPositions: 450, maxPosition: 450 });
    // Both own risk:book; each keeps its own gap-free 1..n under its source.
    const books = await query<{ source: string; n: string; max: string }>(
      url,
      "SELECT source, COUNT(*) AS n, MAX(sequence_number) AS max FROM event_log WHERE aggregate_type = 'risk' GROUP BY source ORDER BY source",
    );
    expect(books.map((r) => [Number(r.n), Number(r.max)])).toEqual([
      [175, 175],
      [113, 113],
    ]);
    // One global order every reader agrees on: positions are unique and, per source, follow the file.
    const order = await query<{ source: string; source_position: string }>(
      url,
      'SELECT source, source_position FROM event_log ORDER BY global_position',
    );
    for (const source of [ra.source, rb.source]) {
      const seq = order.filter((r) => r.source === source).map((r) => Number(r.source_position));
      expect(seq).toEqual([...seq].sort((x, y) => x - y));
    }
    // The same events as the files, content included.
    const file = SqliteEventStore.open({ file: a, readOnly: true });
    const fileIds = file.connection.prepare('SELECT event_id FROM event_log ORDER BY event_id').pluck().all() as string[];
    file.close();
    const pgIds = (
      await query<{ event_id: string }>(url, 'SELECT event_id FROM event_log WHERE source = $1 ORDER BY event_id COLLATE "C"', [ra.source])
    ).map((r) => r.event_id);
    expect(pgIds).toEqual(fileIds);
  });

  it('is idempotent: re-running ships nothing; a lost checkpoint re-ships nothing twice; racing forwarders never duplicate', async () => {
    const url = await newDb();
    const file = tmp.file('gamma.db');
    writeBot(file, 'gamma', 600);
    const first = await runForward({ db: file, to: url, source: 'gamma', batchSize: 50, ...QUIET });
    expect(first).toMatchObject({ forwarded: 600, duplicates: 0, batches: 12, position: 600 });
    const again = await runForward({ db: file, to: url, source: 'gamma', ...QUIET });
    expect(again).toMatchObject({ forwarded: 0, duplicates: 0, batches: 0, position: 600 });

    // Checkpoint gone (say, restored from an old backup): every row is found by event_id, none added.
    await query(url, "DELETE FROM forward_checkpoints WHERE source = 'gamma'");
    const resent = await runForward({ db: file, to: url, source: 'gamma', batchSize: 200, ...QUIET });
    expect(resent).toMatchObject({ forwarded: 0, duplicates: 600, position: 600 });
    expect(await checkpoint(url, 'gamma')).toBe(600);
    // The same file under a second name (a copy on another host): still no row twice.
    const copy = await runForward({ db: file, to: url, source: 'gamma-copy', ...QUIET });
    expect(copy).toMatchObject({ forwarded: 0, duplicates: 600 });
    expect((await counts(url)).rows).toBe(600);

    // Four forwarders racing over one file and one source.
    const url2 = await newDb();
    const racers = await Promise.all(
      [17, 50, 64, 100].map((batchSize) => runForward({ db: file, to: url2, source: 'race', batchSize, ...QUIET })),
    );
    expect(racers.reduce((s, r) => s + r.forwarded, 0)).toBe(600);
    expect(racers.reduce((s, r) => s + r.duplicates, 0)).toBe(0);
    expect(await counts(url2)).toEqual({ rows: 600, distinctIds: 600, distinctPositions: 600, maxPosition: 600 });
    expect(await checkpoint(url2, 'race')).toBe(600);
  });

  it('a forwarder SIGKILLed inside a batch transaction loses nothing and duplicates nothing on restart', async () => {
    const url = await newDb();
    const file = tmp.file('delta.db');
    writeBot(file, 'delta', 1000);
    const worker = startWorker([file, url, 'delta', '100', '3']);
    const mid = (await worker.waitFor('mid')).mid as { firstPosition: number; lastPosition: number; count: number };
    expect(mid).toMatchObject({ firstPosition: 201, lastPosition: 300, count: 100 });
    // Batch 3 is inserted but not committed: invisible to everyone else, checkpoint still at 200.
    expect((await counts(url)).rows).toBe(200);
    expect(await checkpoint(url, 'delta')).toBe(200);
    await worker.kill();

    const resumed = await runForward({ db: file, to: url, source: 'delta', batchSize: 128, ...QUIET });
    expect(resumed).toMatchObject({ forwarded: 800, duplicates: 0, position: 1000 });
    expect(await counts(url)).toEqual({ rows: 1000, distinctIds: 1000, distinctPositions: 1000, maxPosition: 1000 });
  });

  it('killed at arbitrary points, again and again, it still ends with every event exactly once', async () => {
    const url = await newDb();
    const file = tmp.file('epsilon.db');
    writeBot(file, 'epsilon', 3000);
    for (let round = 0; round < 3; round++) {
      const worker = startWorker([file, url, 'epsilon', '40', '0']);
      await worker.waitFor('progress');
      await worker.kill();
      // One statement, one snapshot: a COMMIT the kill did not stop may still land around it.
      const [seen] = await query<{ n: string; ids: string; max: string | null; cp: string | null }>(
        url,
        `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, MAX(source_position) AS max,
                (SELECT position FROM forward_checkpoints WHERE source = 'epsilon') AS cp FROM event_log`,
      );
      expect(seen!.n).toBe(seen!.ids);
      expect(seen!.cp).toBe(seen!.max);
      expect(Number(seen!.n)).toBe(Number(seen!.max ?? 0)); // no hole before the checkpoint
    }
    const rows = (await counts(url)).rows;
    const worker = startWorker([file, url, 'epsilon', '500', '0']);
    const done = (await worker.waitFor('done')).done as { forwarded: number; position: number };
    expect((await worker.exited).code).toBe(0);
    expect(done.forwarded).toBe(3000 - rows);
    expect(done.position).toBe(3000);
    expect(await counts(url)).toEqual({ rows: 3000, distinctIds: 3000, distinctPositions: 3000, maxPosition: 3000 });
  });

  it('forwards a seed-written file read-only, as it is, and names it by its first event', async () => {
    const url = await newDb();
    const file = tmp.file('seed.db');
    writeSeedRows(file, [
      ['e1', 'ORDER_SUBMITTED', 'order', 'o1', '{"qty": 1}', null, T0, 1],
      ['e2', 'ORDER_FILLED', 'order', 'o1', '{"qty": 1, "price": 1.50}', '{"source":"seed"}', T0 + 1, 2],
      ['e3', 'ORDER_FILLED', 'order', 'o2', '{broken', '{"source":"seed"}', T0 + 2, 1],
    ]);
    const result = await runForward({ db: file, to: url, ...QUIET });
    expect(result).toMatchObject({ source: 'seed.db@e1', forwarded: 3, position: 3 });
    const rows = await query<{ payload: string; metadata: string | null; json_ok: boolean }>(
      url,
      'SELECT payload, metadata, json_ok FROM event_log ORDER BY global_position',
    );
    expect(rows).toEqual([
      { payload: '{"qty": 1}', metadata: null, json_ok: true },
      { payload: '{"qty": 1, "price": 1.50}', metadata: '{"source":"seed"}', json_ok: true },
      { payload: '{broken', metadata: '{"source":"seed"}', json_ok: false },
    ]);
    // Read-only: the file was not migrated.
    const after = new Database(file, { readonly: true });
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    after.close();
    expect(tables).toEqual(['event_log']);
  });

  it('dead-letters the second of two events at one sequence (never stops), and refuses a different file under a used source', async () => {
    const url = await newDb();
    const file = tmp.file('dup-seq.db');
    writeSeedRows(file, [
      ['d1', 'X', 'order', 'o1', '{}', null, T0, 1],
      ['d2', 'X', 'order', 'o1', '{}', null, T0 + 1, 1], // the seed's MAX()+1 race
    ]);
    // Issue 18: one odd row no longer stops the log; it is recorded with its reason instead.
    const dup = await runForward({ db: file, to: url, source: 'dup', ...QUIET });
    expect(dup).toMatchObject({ forwarded: 1, deadLettered: 1, position: 2 });
    expect((await counts(url)).rows).toBe(1);
    expect(await checkpoint(url, 'dup')).toBe(2);
    const [dead] = await query<{ event_id: string; reason: string }>(url, 'SELECT event_id, reason FROM forward_dead_letters');
    expect(dead).toMatchObject({ event_id: 'd2', reason: expect.stringMatching(/a second event at one sequence number/) as string });

    const one = tmp.file('one.db');
    const two = tmp.file('two.db');
    writeBot(one, 'one', 30);
    writeBot(two, 'two', 40);
    await runForward({ db: one, to: url, source: 'shared-name', ...QUIET });
    const clash = await runForward({ db: two, to: url, source: 'shared-name', ...QUIET }).catch((e: unknown) => e);
    expect(isStoreOpenError(clash)).toBe(true);
    expect(String(clash)).toMatch(/another --source/);
    expect((await counts(url, 'shared-name')).rows).toBe(30);
  });

  it('fails clearly when PostgreSQL is unreachable and it is not following', async () => {
    const file = tmp.file('lonely.db');
    writeBot(file, 'lonely', 5);
    const error = await runForward({ db: file, to: 'postgres://bot:pw@127.0.0.1:1/x', retries: 1, maxRetryDelayMs: 10, ...QUIET }).catch(
      (e: unknown) => e,
    );
    expect(isStoreOpenError(error)).toBe(true);
    expect(String(error)).toMatch(/ECONNREFUSED/);
    expect(String(error)).not.toContain(':pw@');
  });

  it('--follow ships as the bot writes, rides out a PostgreSQL outage, and stops on abort', async () => {
    const url = await newDb();
    const file = tmp.file('follow.db');
    const bot = SqliteEventStore.open({ file });
    bot.appendBatch(preparedAll(botEvents('follow', 100)));
    const states: ForwardProgress['state'][] = [];
    const abort = new AbortController();
    const running = runForward({
      db: file,
      to: url,
      follow: true,
      pollMs: 20,
      batchSize: 64,
      maxRetryDelayMs: 200,
      signal: abort.signal,
      onProgress: (p) => states.push(p.state),
      ...QUIET,
    });
    try {
      await until(async () => (await rowsNow(url)) === 100, 'the first 100 events');
      for (let i = 0; i < 5; i++) bot.append(prepared(botEvents('follow', 1, 100 + i)[0]!));
      await until(async () => (await rowsNow(url)) === 105, 'events appended while following');
      expect(states).toContain('following');

      cluster.pause();
      try {
        bot.appendBatch(preparedAll(botEvents('follow', 50, 105))); // the bot writes on through the outage
        await until(() => states.includes('retrying'), 'the forwarder to notice the outage');
      } finally {
        cluster.resume();
      }
      await until(async () => (await rowsNow(url)) === 155, 'catch-up after the outage');
    } finally {
      abort.abort();
    }
    const result = await running;
    bot.close();
    expect(result).toMatchObject({ forwarded: 155, duplicates: 0, position: 155, head: 155 });
    expect(await counts(url)).toEqual({ rows: 155, distinctIds: 155, distinctPositions: 155, maxPosition: 155 });
  });
});
