/**
 * The same analytics over the PostgreSQL query side: a paper session forwarded to a real
 * PostgreSQL cluster gives the same blotter, report and book through `--pg` as through its
 * file, and through the PostgreSQL reader in-process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLog, runForward } from '../../../src-core';
import { loadBook, loadTrades } from '../../../src-plugins/analytics';
import { runBin } from '../../core/cli/support/run-bin';
import { runBot } from '../../examples/paper-bot/run-bot';
import { postgresAvailability, startPostgres, type PostgresCluster } from '../../support/postgres';
import { tempDir } from '../../support/temp';

const pg = postgresAvailability();

describe.skipIf(!pg.available)('analytics over PostgreSQL', () => {
  const tmp = tempDir('analytics-pg-');
  const db = tmp.file('bot.db');
  let cluster: PostgresCluster;
  let url: string;

  beforeAll(async () => {
    const run = await runBot(['--days', '5', '--seed', '5', '--db', db, '--json']);
    expect(run.code, run.stderr).toBe(0);
    cluster = await startPostgres();
    url = await cluster.createDatabase('analytics');
    await runForward({ db, to: url, source: 'bot', progress: null, log: () => undefined });
  }, 180_000);

  afterAll(() => {
    cluster?.stop();
    tmp.cleanup();
  });

  it.each([
    [['trades', '--json']],
    [['trades', '--ticker', 'MDTX', '--sort', 'net_pnl', '--csv']],
    [['report', '--json', '--tz', 'America/New_York']],
    [['book', '--as-of', '2025-03-05 12:30', '--tz', 'America/New_York', '--json']],
  ])('%j: --pg prints what --db prints', async (args) => {
    const [fromFile, fromPg] = await Promise.all([runBin([...args, '--db', db]), runBin([...args, '--pg', url, '--pg-source', 'bot'])]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromPg.stderr).toBe('');
    expect(fromPg.code).toBe(0);
    expect(fromPg.stdout).toBe(fromFile.stdout);
    expect(fromFile.stdout.length).toBeGreaterThan(100);
  });

  it('in-process, the PostgreSQL reader feeds the same fold', async () => {
    const log = await openLog({ pg: url, pgSource: 'bot' });
    const reader = log.store;
    try {
      const trades = await loadTrades(reader);
      expect(trades.length).toBeGreaterThan(5);
      const asOf = Date.parse(trades[Math.floor(trades.length / 2)]!.opened_at!) + 60_000;
      const { events: _n, ...book } = await loadBook(reader, asOf);
      expect(book.positions.length).toBeGreaterThan(0);
      expect(JSON.parse((await runBin(['book', '--as-of', new Date(asOf).toISOString(), '--json', '--db', db])).stdout)).toMatchObject(
        book,
      );
    } finally {
      await log.close();
    }
  });
});
