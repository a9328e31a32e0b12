import { isAbsolute, relative } from 'node:path';
import {
  createCatalyst,
  isCatalystError,
  loadConfig,
  ManualClock,
  renderPrometheus,
  type Catalyst,
  type CatalystConfigInput,
  type EventReader,
} from 'catalyst-events';
import alertPlugin from 'catalyst-events/plugins/alert';
import orderPlugin from 'catalyst-events/plugins/order';
import positionPlugin from 'catalyst-events/plugins/position';
import riskPlugin from 'catalyst-events/plugins/risk';
import { createBot, type Bot } from './bot';
import type { RunOptions } from './cli-options';
import { BotInputError } from './errors';
import { renderBotMetrics } from './health/bot-metrics';
import { startHealthServer, type HealthServer } from './health/health-server';
import { tradingDays } from './market/calendar';
import { DEFAULT_SESSION, TradingSession } from './session';
import { formatSummary, summarize, type RunSummary } from './summary';
import { verifyRun, type VerifyReport } from './verify/verify-run';

/** What the bot records with unless its config lists other plugins (the core names none). */
const BOT_PLUGINS = [orderPlugin, positionPlugin, alertPlugin, riskPlugin];

export interface RunResult {
  exitCode: number;
  summary: RunSummary;
}

export interface RunIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Where Ctrl-C comes from (the process, in the CLI). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** Exit codes: 0 ok, 1 verification mismatch, 2 bad input, 130 stopped by Ctrl-C / SIGTERM. */
export const EXIT = { ok: 0, mismatch: 1, input: 2, interrupted: 130 } as const;

/** Picks the run id: the given one must be new in the file; the default gets a suffix until it is. */
async function chooseRunId(reader: EventReader, seed: number, given: string | undefined): Promise<string> {
  const firsts = (id: string): [string, string][] => [
    ['risk', `${id}-risk`],
    ['alert', `${id}-alert-0001`],
    ['signal', `${id}-sig-0001`],
    ['order', `${id}-ord-0001`],
    ['portfolio', `${id}-account`],
  ];
  const used = async (id: string): Promise<boolean> => {
    for (const [type, aggregate] of firsts(id)) if ((await reader.aggregateVersion(type, aggregate)) > 0) return true;
    return false;
  };
  if (given !== undefined) {
    if (await used(given)) throw new BotInputError('--run-id', `run '${given}' is already recorded in this file; pick another id`);
    return given;
  }
  const base = `s${seed}`;
  if (!(await used(base))) return base;
  for (let n = 2; ; n++) if (!(await used(`${base}-${n}`))) return `${base}-${n}`;
}

export async function runBot(options: RunOptions, io: RunIo): Promise<RunResult> {
  const overrides: CatalystConfigInput = {};
  if (options.db !== undefined) overrides.db = options.db;
  if (options.mode !== undefined) overrides.emitter = { mode: options.mode };
  const config = loadConfig({ overrides, ...(options.config !== undefined ? { file: options.config } : {}) });
  const days = tradingDays(options.startDate, options.days);
  const clock = new ManualClock(days[0]!.open);
  const catalyst: Catalyst = await createCatalyst(config, { clock, plugins: options.plugins ? (config.plugins ?? BOT_PLUGINS) : [] });
  let health: HealthServer | undefined;
  const signals = io.signals;
  let session: TradingSession | undefined;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      io.err('stopping at the next simulated minute (Ctrl-C again to stop now)...');
      session?.stop();
      return;
    }
    // A second Ctrl-C: do not wait for the loop, but still write what is queued.
    try {
      catalyst.emitter.flush();
    } finally {
      process.exit(EXIT.interrupted);
    }
  };
  signals?.on('SIGINT', onSignal);
  signals?.on('SIGTERM', onSignal);
  try {
    const runId = await chooseRunId(catalyst.store, options.seed, options.runId);
    const bot: Bot = createBot(
      { seed: options.seed, runId, tickers: options.tickers, ...(options.bars ? { barsFile: options.bars } : {}) },
      clock,
      catalyst.causal,
    );
    // With no plugin loaded there is nothing to bind to: the decorated methods run as written.
    if (options.plugins) for (const instance of bot.hooked()) catalyst.bind(instance);
    session = new TradingSession(bot, clock, {
      ...DEFAULT_SESSION,
      days: options.days,
      startDate: options.startDate,
      paceMs: options.paceMs,
    });
    const running = session;
    if (options.healthPort !== undefined) {
      health = await startHealthServer(options.healthPort, {
        status: () => healthStatus(bot, running, catalyst, options),
        metrics: () =>
          renderPrometheus(catalyst.emitter.metrics(), { labels: { run_id: runId } }) +
          renderBotMetrics(bot, running.status, { run_id: runId }),
      });
      io.err(`health: ${health.url}/health  metrics: ${health.url}/metrics`);
    }
    const status = await session.run();
    catalyst.emitter.flush();
    let verification: VerifyReport | null = null;
    if (options.plugins) verification = await verifyRun(bot, catalyst.rebuilder);
    const metrics = catalyst.emitter.metrics();
    const stats = await catalyst.store.stats();
    const summary = summarize({
      bot,
      state: status.state === 'interrupted' ? 'interrupted' : 'finished',
      db: config.db,
      plugins: options.plugins,
      mode: config.emitter.mode,
      days: options.days,
      eventsWritten: metrics.emittedTotal,
      eventTypes: Object.keys(metrics.emittedByType).length,
      fileTotal: stats.total,
      verification,
    });
    io.out(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary, shellPath(config.db)));
    const exitCode =
      verification && verification.mismatches.length > 0 ? EXIT.mismatch : summary.state === 'interrupted' ? EXIT.interrupted : EXIT.ok;
    return { exitCode, summary };
  } finally {
    signals?.off('SIGINT', onSignal);
    signals?.off('SIGTERM', onSignal);
    await health?.close();
    await catalyst.close();
  }
}

function healthStatus(bot: Bot, session: TradingSession, catalyst: Catalyst, options: RunOptions): Record<string, unknown> {
  const s = session.status;
  const positions = bot.positions.all();
  return {
    status: s.state,
    run_id: bot.config.runId,
    seed: options.seed,
    plugins: options.plugins,
    day: s.day,
    minute: s.minute,
    sim_time: s.simTime ? new Date(s.simTime).toISOString() : null,
    bot: {
      alerts: bot.pipeline.stats.received,
      orders: bot.executor.all().length,
      working_orders: bot.executor.working().length,
      open_positions: positions.filter((p) => p.status === 'open').length,
      closed_positions: positions.filter((p) => p.status === 'closed').length,
      equity: bot.broker.equity(),
      circuit_breaker: bot.risk.breakerState.tripped ? 'tripped' : 'ok',
    },
    events: catalyst.emitter.metrics(),
  };
}

/** The db path as the user would type it: relative below the working directory, else absolute; quoted when needed. */
function shellPath(file: string): string {
  const rel = relative(process.cwd(), file);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return /^[\w./@:+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof BotInputError || (isCatalystError(error) && (error as { code: string }).code === 'CONFIG')) {
    return { message: error.message, exitCode: EXIT.input };
  }
  return { message: isCatalystError(error) ? error.message : String((error as Error)?.stack ?? error), exitCode: 1 };
}
