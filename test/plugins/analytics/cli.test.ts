/**
 * The analytics commands (trades, report, book) through the real bin, as child processes,
 * on a 20-day paper session: their JSON is the analytics functions' output (one
 * computation), their tables name the zone, and bad input is one line on stderr, exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalystReader, type CatalystReader } from '../../../src-core';
import { loadBook, loadReport, loadTrades, TRADE_COLUMNS } from '../../../src-plugins/analytics';
import { isOneLineError, runBin } from '../../core/cli/support/run-bin';
import { runBot } from '../../examples/paper-bot/run-bot';
import { tempDir } from '../../support/temp';

const tmp = tempDir('analytics-cli-');
const db = tmp.file('s5.db');
let reader: CatalystReader;

beforeAll(async () => {
  const run = await runBot(['--days', '20', '--seed', '5', '--db', db, '--json']);
  expect(run.code, run.stderr).toBe(0);
  reader = await openCatalystReader({ db }, { plugins: [] });
}, 120_000);

afterAll(async () => {
  await reader?.close();
  tmp.cleanup();
});

const cli = (...args: string[]) => runBin([...args, '--db', db]);
const MIDDAY = '2025-03-05T17:30:00Z';

describe('catalyst-events trades', () => {
  it('--json prints the blotter rows the analytics module computes, with the contract keys', async () => {
    const { code, stdout, stderr } = await cli('trades', '--json');
    expect(code, stderr).toBe(0);
    const rows = JSON.parse(stdout) as Record<string, unknown>[];
    expect(rows).toEqual(JSON.parse(JSON.stringify(await loadTrades(reader.store))));
    expect(rows.length).toBe(52);
    for (const r of rows) expect(Object.keys(r)).toEqual([...TRADE_COLUMNS]);
    expect(rows.every((r) => typeof r.opened_at === 'string' && r.opened_at.endsWith('Z'))).toBe(true);
  });

  it('filters and sorts: the losing MDTX trades, worst first; --csv has the same rows', async () => {
    const json = await cli('trades', '--ticker', 'mdtx', '--lost', '--sort', 'net_pnl', '--json');
    const rows = JSON.parse(json.stdout) as { position_id: string; ticker: string; net_pnl: number }[];
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.every((r) => r.ticker === 'MDTX' && r.net_pnl < 0)).toBe(true);
    expect(rows.map((r) => r.net_pnl)).toEqual([...rows.map((r) => r.net_pnl)].sort((a, b) => a - b));
    expect(rows[0]!.position_id).toBe('s5-pos-0017');
    const csv = await cli('trades', '--ticker', 'MDTX', '--lost', '--sort', 'net_pnl', '--csv');
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(TRADE_COLUMNS.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(rows.map((r) => r.position_id));
  });

  it('prints a table for people: separators, a minus sign, times named with their zone', async () => {
    const { code, stdout } = await cli('trades', '--ticker', 'MDTX', '--lost', '--sort', 'net_pnl', '--tz', 'America/New_York');
    expect(code).toBe(0);
    const line = stdout.split('\n').find((l) => l.startsWith('s5-pos-0017'))!;
    expect(line).toMatch(/MDTX\s+short\s+8,871\s+0\.9927\s+1\.0400\s+−508\.42/);
    expect(line).toContain('2025-03-05 11:51'); // 16:51 UTC in New York (EST)
    expect(stdout).toContain('opened (America/New_York)');
    expect(stdout).toMatch(/times in America\/New_York \(UTC-0[45]:00\)/);
    expect(stdout).not.toMatch(/\d-\d+\.\d/); // no hyphen-minus in amounts
  });
});

describe('catalyst-events report', () => {
  it('--json is the report the analytics module computes', async () => {
    const { code, stdout } = await cli('report', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toEqual(JSON.parse(JSON.stringify(await loadReport(reader.store))));
    for (const key of [
      'trades',
      'net_pnl',
      'gross_profit',
      'gross_loss',
      'profit_factor',
      'win_rate',
      'avg_win',
      'avg_loss',
      'expectancy',
      'max_drawdown',
      'commissions',
      'by_ticker',
      'by_day',
      'by_exit_reason',
    ]) {
      expect(report, key).toHaveProperty(key);
    }
    expect(Object.keys(report.by_ticker as object)).toEqual(['ARKO', 'BIOX', 'MDTX', 'QNTM', 'SOLR']);
  });

  it('--tz cuts the days in that zone and names it', async () => {
    const { stdout } = await cli('report', '--tz', 'Asia/Tokyo');
    expect(stdout).toContain('day (Asia/Tokyo)');
    expect(stdout).toMatch(/Performance · 2025-03-03 23:35 Asia\/Tokyo → /);
    const json = JSON.parse((await cli('report', '--json', '--tz', 'Asia/Tokyo')).stdout) as {
      day_zone: string;
      by_day: Record<string, unknown>;
    };
    expect(json.day_zone).toBe('Asia/Tokyo');
    expect(Object.keys(json.by_day)[0]).toBe('2025-03-04'); // the first close, 16:35 UTC on the 3rd, is 01:35 on the 4th in Tokyo
  });
});

describe('catalyst-events book', () => {
  it('--as-of --json is the book the analytics module computes at that instant', async () => {
    const { code, stdout } = await cli('book', '--as-of', MIDDAY, '--json');
    expect(code).toBe(0);
    const book = JSON.parse(stdout) as {
      as_of: string;
      positions: { position_id: string; quantity: number }[];
      orders: unknown[];
      risk: unknown;
    };
    expect(book).toEqual(JSON.parse(JSON.stringify(await loadBook(reader.store, Date.parse(MIDDAY)))));
    expect(book.as_of).toBe('2025-03-05T17:30:00.000Z');
    expect(book.positions).toMatchObject([{ position_id: 's5-pos-0017', quantity: 8871 }]);
  });

  it('reads a local --as-of in the --tz zone: 12:30 in New York is 17:30 UTC', async () => {
    const local = JSON.parse((await cli('book', '--as-of', '2025-03-05 12:30', '--tz', 'America/New_York', '--json')).stdout) as {
      as_of: string;
    };
    expect(local.as_of).toBe('2025-03-05T17:30:00.000Z');
    const table = await cli('book', '--as-of', '2025-03-05 12:30', '--tz', 'America/New_York');
    expect(table.stdout).toContain('Book as of 2025-03-05 12:30:00 America/New_York');
    expect(table.stdout).toMatch(/s5-pos-0017\s+MDTX\s+short\s+8,871\s+0\.9927/);
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  it.each([
    [['trades', '--ticker', 'ZZZZ'], /no ticker 'ZZZZ' in the log \(the log has: ARKO, BIOX, MDTX, QNTM, SOLR\)$/],
    [['trades', '--since', 'last tuesday'], /--since: cannot read 'last tuesday' as a time/],
    [['trades', '--tz', 'Mars/Olympus_Mons'], /unknown time zone 'Mars\/Olympus_Mons'/],
    [['trades', '--sort', 'pnl'], /--sort: 'pnl' is not one of position_id, /],
    [['trades', '--won', '--lost'], /give one of --won, --lost, not several$/],
    [['book', '--as-of', '2025-02-30 10:00'], /--as-of: cannot read '2025-02-30 10:00' as a time/],
    [['book', '--as-of', MIDDAY, '--tz', 'EST5EDT/Nowhere'], /unknown time zone 'EST5EDT\/Nowhere'/],
    [['book'], /required option '--as-of <time>' not specified/],
    [['report', '--tz', 'Not A Zone'], /unknown time zone 'Not A Zone'/],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(isOneLineError(stderr), stderr).toBe(true);
    expect(stderr.trimEnd()).toMatch(message);
  });
});
