/**
 * The analytics commands as the CLI registers them: names, options and help. Light on
 * purpose: starting the CLI (`--help`, `--version`) loads only these definitions; a command's
 * module — the analytics fold, the store — is imported when the command runs.
 */
import type { Command } from 'commander';
import { collectList, type CliCommand, type CliRegistration } from '../../../src-core/cli';
import { TRADE_COLUMNS } from '../columns';
import type { BookOptions } from './book';
import type { ReportOptions } from './report';
import type { TradesOptions } from './trades';

export const tradesCommand: CliCommand = {
  register(program: Command, { ctx, action, withSource }: CliRegistration): void {
    withSource(
      program
        .command('trades')
        .description('the trades blotter: one row per position (filters combine; --json / --csv for scripts)')
        .option('--ticker <symbol>', 'only these tickers (repeat, or comma-separated)', collectList)
        .option('--side <side>', 'long or short')
        .option('--won', 'only trades with a positive net P&L')
        .option('--lost', 'only trades with a negative net P&L')
        .option('--exit-reason <reason>', 'only these exit reasons (repeat, or comma-separated)', collectList)
        .option('--status <status>', 'open or closed')
        .option('--run <id>', 'only these runs (repeat, or comma-separated)', collectList)
        .option('--since <time>', 'open at or after this time (ISO-8601, or a date/time in --tz)')
        .option('--until <time>', 'opened at or before this time')
        .option('--sort <column>', `sort by a column: ${TRADE_COLUMNS.join(', ')}`)
        .option('--desc', 'sort descending')
        .option('--json', 'print the rows as JSON (times ISO-8601 UTC)')
        .option('--csv', 'print the rows as CSV (the JSON keys as columns)')
        .option('--tz <zone>', 'display time zone: UTC (default) or an IANA name like America/New_York'),
    ).action(action(async (options: TradesOptions) => (await import('./trades')).runTrades(options, ctx)));
  },
};

export const reportCommand: CliCommand = {
  register(program: Command, { ctx, action, withSource }: CliRegistration): void {
    withSource(
      program
        .command('report')
        .description('the performance report: net P&L, profit factor, win rate, drawdowns; by ticker, day and exit reason')
        .option('--json', 'print the report as JSON (times ISO-8601 UTC, with the equity curve)')
        .option('--tz <zone>', 'display time zone and the days of by_day: UTC (default) or an IANA name'),
    ).action(action(async (options: ReportOptions) => (await import('./report')).runReport(options, ctx)));
  },
};

export const bookCommand: CliCommand = {
  register(program: Command, { ctx, action, withSource }: CliRegistration): void {
    withSource(
      program
        .command('book')
        .description('the book at an instant: open positions marked, working orders, cash and equity, risk state')
        .requiredOption('--as-of <time>', 'the instant: ISO-8601 (2025-03-05T14:30:00Z) or a date/time in --tz (2025-03-05 09:30)')
        .option('--json', 'print the book as JSON (times ISO-8601 UTC)')
        .option('--tz <zone>', 'display time zone, and the zone --as-of is read in: UTC (default) or an IANA name'),
    ).action(action(async (options: BookOptions) => (await import('./book')).runBook(options, ctx)));
  },
};

/** What the composition root adds to the core's CLI. */
export const analyticsCommands: readonly CliCommand[] = [tradesCommand, reportCommand, bookCommand];
