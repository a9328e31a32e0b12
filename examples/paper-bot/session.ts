import type { ManualClock } from 'catalyst-events';
import type { Bot } from './bot';
import { MINUTE_MS, SESSION_MINUTES, tradingDays, type TradingDay } from './market/calendar';
import type { ExitRequest } from './positions/types';

export interface SessionOptions {
  days: number;
  startDate: string;
  /** Real milliseconds to wait per simulated minute (0: as fast as possible). */
  paceMs: number;
  /** Minute of the session at which the book is flattened. */
  flattenMinute: number;
  /** Minutes between account snapshots. */
  snapshotEvery: number;
}

export const DEFAULT_SESSION: SessionOptions = {
  days: 1,
  startDate: '2025-03-03',
  paceMs: 0,
  flattenMinute: 380,
  snapshotEvery: 60,
};

export interface SessionStatus {
  state: 'idle' | 'running' | 'stopping' | 'finished' | 'interrupted';
  day: string | null;
  minute: number;
  simTime: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * Runs trading days minute by minute on the simulated clock: bars -> fills -> marks,
 * stops and exits -> risk -> news -> rechecks; flatten near the close; expire day orders.
 * Yields to the event loop every minute so Ctrl-C and the health endpoint stay live.
 */
export class TradingSession {
  readonly status: SessionStatus = { state: 'idle', day: null, minute: 0, simTime: 0 };
  private stopRequested = false;

  constructor(
    private readonly bot: Bot,
    private readonly clock: ManualClock,
    private readonly options: SessionOptions = DEFAULT_SESSION,
  ) {}

  /** Asks the loop to stop at the next minute boundary. */
  stop(): void {
    this.stopRequested = true;
    if (this.status.state === 'running') this.status.state = 'stopping';
  }

  async run(): Promise<SessionStatus> {
    this.status.state = 'running';
    for (const day of tradingDays(this.options.startDate, this.options.days)) {
      await this.runDay(day);
      if (this.stopRequested) break;
    }
    this.status.state = this.stopRequested ? 'interrupted' : 'finished';
    return this.status;
  }

  private async runDay(day: TradingDay): Promise<void> {
    const { bot, clock } = this;
    this.status.day = day.date;
    clock.set(day.open);
    bot.setDay(day);
    bot.feed.startDay?.(day.index, day.open);
    bot.tape.clear();
    bot.risk.startSession(bot.broker.equity());
    const news = bot.wire.day(day);
    let next = 0;
    for (let minute = 0; minute < SESSION_MINUTES; minute++) {
      if (this.stopRequested) return;
      const now = day.open + minute * MINUTE_MS;
      clock.set(now);
      this.status.minute = minute;
      this.status.simTime = now;
      this.marketMinute(now);
      while (next < news.length && news[next]!.alert.received_at <= now) {
        const item = news[next++]!;
        if (item.impactPct !== 0) bot.feed.applyNews(item.alert.ticker, now, item.impactPct);
        bot.pipeline.process(item.alert);
      }
      bot.pipeline.recheckDue(now);
      if (minute % this.options.snapshotEvery === 0) bot.account.snapshot();
      if (minute === this.options.flattenMinute) {
        bot.executor.cancelEntries(now, 'end of day');
        this.submitExits(bot.positions.flattenAll('timeout'));
      }
      await pause(this.options.paceMs);
    }
    clock.set(day.close);
    bot.pipeline.expireWaiting();
    bot.executor.onBrokerUpdates(bot.broker.expire(day.close, true));
    bot.account.snapshot();
    bot.account.endOfDay(day.date);
  }

  private marketMinute(now: number): void {
    const { bot } = this;
    const wasTripped = bot.risk.breakerState.tripped;
    const bars = bot.feed.barsAt(now);
    for (const bar of bars) {
      bot.tape.record(bar);
      bot.executor.onBrokerUpdates(bot.broker.onBar(bar));
    }
    for (const bar of bars) this.submitExits(bot.positions.onBar(bar));
    bot.executor.onBrokerUpdates(bot.broker.expire(now, false));
    bot.executor.cancelEntries(now, null, (t) => bot.tape.last(t));
    bot.risk.onTick(now);
    bot.risk.onEquity(bot.broker.equity());
    if (!wasTripped && bot.risk.breakerState.tripped) bot.executor.cancelEntries(now, 'circuit breaker tripped');
    if (bot.risk.dailyLossLevel === 'exceeded') {
      bot.executor.cancelEntries(now, 'daily loss limit exceeded');
      this.submitExits(bot.positions.flattenAll('risk'));
    }
  }

  private submitExits(exits: readonly ExitRequest[]): void {
    for (const exit of exits) {
      const position = this.bot.positions.get(exit.position_id);
      this.bot.executor.exit(exit, position?.signal_id ?? null);
    }
  }
}
