import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TICKERS, TICKER_PATTERN } from './market/tickers';
import { parseDate } from './market/calendar';
import { RUN_ID_PATTERN } from './util/ids';

export interface RunOptions {
  /** From --db; undefined: CATALYST_EVENTS_DB, the config file, or ./data/events.db. */
  db: string | undefined;
  /** A catalyst-events.config.json elsewhere than the working directory. */
  config: string | undefined;
  seed: number;
  /** Undefined: `s<seed>`, with a suffix if that run is already in the file. */
  runId: string | undefined;
  days: number;
  tickers: string[];
  /** Undefined: the config's emitter mode (sync by default). */
  mode: 'sync' | 'buffered' | undefined;
  plugins: boolean;
  bars: string | undefined;
  startDate: string;
  paceMs: number;
  healthPort: number | undefined;
  json: boolean;
}

export const DEFAULT_SEED = 3;

const integer =
  (name: string, min: number, max: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };

const tickerList = (value: string): string[] => {
  const tickers = value
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const bad = tickers.filter((t) => !TICKER_PATTERN.test(t));
  if (tickers.length === 0 || bad.length > 0) throw new InvalidArgumentError(`not ticker symbols: ${bad.join(', ') || value}`);
  return [...new Set(tickers)];
};

const runId = (value: string): string => {
  if (!RUN_ID_PATTERN.test(value))
    throw new InvalidArgumentError('letters, digits, "_", "." and "-" only (up to 40), starting with a letter or digit');
  return value;
};

const date = (value: string): string => {
  try {
    parseDate(value);
  } catch {
    throw new InvalidArgumentError('expected YYYY-MM-DD');
  }
  return value;
};

export function buildProgram(): Command {
  return new Command('paper-bot')
    .description('Runs the Catalyst paper-trading bot on a simulated market and records every decision as events.')
    .option('--db <file>', 'event log file (default: $CATALYST_EVENTS_DB, the config file, or ./data/events.db)')
    .option('--config <file>', 'catalyst-events config (plugins, durability...; default: ./catalyst-events.config.json if present)')
    .option('--seed <n>', 'random seed of the market, the news and the fills', integer('--seed', 0, 2 ** 32 - 1), DEFAULT_SEED)
    .option('--run-id <id>', 'prefix of every aggregate id (default: s<seed>, made unique in the file)', runId)
    .option('--days <n>', 'trading days to simulate', integer('--days', 1, 250), 1)
    .addOption(
      new Option('--tickers <list>', 'comma-separated symbols').argParser(tickerList).default(
        DEFAULT_TICKERS.map((t) => t.ticker),
        DEFAULT_TICKERS.map((t) => t.ticker).join(','),
      ),
    )
    .addOption(new Option('--mode <mode>', "emitter mode (default: the config's, sync)").choices(['sync', 'buffered']))
    .option('--no-plugins', 'load no plugin: the bot trades the same and records nothing')
    .option(
      '--bars <file>',
      'replay 1-minute bars from a CSV (timestamp,ticker,open,high,low,close,volume), e.g. examples/paper-bot/data/sample-bars.csv',
    )
    .option('--start-date <date>', 'first trading day (YYYY-MM-DD)', date, '2025-03-03')
    .option('--pace <ms>', 'real milliseconds per simulated minute (0: as fast as possible)', integer('--pace', 0, 60_000), 0)
    .option(
      '--health-port <port>',
      'serve /health and /metrics on 127.0.0.1:<port> (0: any free port)',
      integer('--health-port', 0, 65_535),
    )
    .option('--json', 'print the summary as JSON', false)
    .showHelpAfterError('(add --help for the options)')
    .exitOverride();
}

/** Thrown for --help / --version (exit 0) and for bad usage (exit 2); commander has printed why. */
export class UsageExit extends Error {
  constructor(readonly exitCode: number) {
    super(`usage exit ${exitCode}`);
  }
}

export function parseRunOptions(argv: readonly string[]): RunOptions {
  const program = buildProgram();
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) throw new UsageExit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
  const o = program.opts<{
    db?: string;
    config?: string;
    seed: number;
    runId?: string;
    days: number;
    tickers: string[];
    mode?: 'sync' | 'buffered';
    plugins: boolean;
    bars?: string;
    startDate: string;
    pace: number;
    healthPort?: number;
    json: boolean;
  }>();
  return {
    db: o.db,
    config: o.config,
    seed: o.seed,
    runId: o.runId,
    days: o.days,
    tickers: o.tickers,
    mode: o.mode,
    plugins: o.plugins,
    bars: o.bars,
    startDate: o.startDate,
    paceMs: o.pace,
    healthPort: o.healthPort,
    json: o.json,
  };
}
