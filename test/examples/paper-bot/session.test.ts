import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-core';
import { createBot, type Bot } from '../../../examples/paper-bot/bot';
import { tradingDays } from '../../../examples/paper-bot/market/calendar';
import { DEFAULT_SESSION, TradingSession } from '../../../examples/paper-bot/session';

const SAMPLE = fileURLToPath(new URL('../../../examples/paper-bot/data/sample-bars.csv', import.meta.url));

async function session(over: { seed?: number; barsFile?: string; stopAfter?: number } = {}): Promise<{ bot: Bot; state: string }> {
  const clock = new ManualClock(tradingDays(DEFAULT_SESSION.startDate, 1)[0]!.open);
  const bot = createBot(
    { seed: over.seed ?? 3, runId: 't', tickers: ['BIOX', 'QNTM', 'SOLR'], ...(over.barsFile ? { barsFile: over.barsFile } : {}) },
    clock,
  );
  const s = new TradingSession(bot, clock, DEFAULT_SESSION);
  if (over.stopAfter !== undefined) {
    const stopAt = over.stopAfter;
    const original = bot.pipeline.recheckDue.bind(bot.pipeline);
    bot.pipeline.recheckDue = (now) => {
      original(now);
      if (s.status.minute >= stopAt) s.stop();
    };
  }
  const status = await s.run();
  return { bot, state: status.state };
}

const outcome = (bot: Bot) => ({
  orders: bot.executor.all().map((o) => [o.request.order_id, o.status, o.filled_quantity, o.avg_fill_price]),
  positions: bot.positions.all().map((p) => [p.position_id, p.status, p.exit_reason, p.realized_pnl]),
  equity: bot.broker.equity(),
});

describe('TradingSession (in process, no core)', () => {
  it('trades a simulated day to a flat book, the same way twice', async () => {
    const first = await session();
    const second = await session();
    expect(first.state).toBe('finished');
    expect(outcome(second.bot)).toEqual(outcome(first.bot));
    expect(first.bot.executor.all().length).toBeGreaterThan(3);
    expect(first.bot.positions.open()).toEqual([]);
    expect(first.bot.executor.working()).toEqual([]);
    // Cash reconciles with the positions' realized P&L (commissions included on both sides).
    const realized = first.bot.positions.all().reduce((n, p) => n + p.realized_pnl, 0);
    expect(first.bot.broker.equity()).toBeCloseTo(100_000 + realized, 6);
    expect(outcome((await session({ seed: 4 })).bot)).not.toEqual(outcome(first.bot));
  });

  it('replays the sample CSV bars through the same pipeline', async () => {
    const { bot, state } = await session({ barsFile: SAMPLE });
    expect(state).toBe('finished');
    expect([...bot.feed.tickers].sort()).toEqual(['BIOX', 'QNTM', 'SOLR']);
    expect(bot.pipeline.stats.received).toBeGreaterThan(0);
    expect(bot.executor.all().some((o) => o.fills.length > 0)).toBe(true);
    expect(bot.positions.open()).toEqual([]);
  });

  it('stops at a minute boundary when asked, leaving a consistent book', async () => {
    const { bot, state } = await session({ stopAfter: 120 });
    expect(state).toBe('interrupted');
    for (const o of bot.executor.all()) expect(o.filled_quantity).toBe(o.fills.reduce((n, f) => n + f.filled_quantity, 0));
  });
});
