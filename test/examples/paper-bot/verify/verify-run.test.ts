import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalyst, ManualClock, type Catalyst } from '../../../../src-core';
import { createBot, type Bot } from '../../../../examples/paper-bot/bot';
import { tradingDays } from '../../../../examples/paper-bot/market/calendar';
import { DEFAULT_SESSION, TradingSession } from '../../../../examples/paper-bot/session';
import { verifyRun } from '../../../../examples/paper-bot/verify/verify-run';
import { BUILT_IN_PLUGINS } from '../../../support/builtin-plugins';
import { tempDir } from '../run-bot';

describe('verifyRun: the log against the live bot', () => {
  let catalyst: Catalyst;
  let bot: Bot;

  beforeAll(async () => {
    const clock = new ManualClock(tradingDays(DEFAULT_SESSION.startDate, 1)[0]!.open);
    catalyst = await createCatalyst({ db: join(tempDir(), 'v.db') }, { clock, plugins: BUILT_IN_PLUGINS });
    bot = createBot({ seed: 3, runId: 'v', tickers: ['BIOX', 'QNTM', 'SOLR', 'MDTX', 'ARKO'] }, clock, catalyst.causal);
    for (const instance of bot.hooked()) catalyst.bind(instance);
    await new TradingSession(bot, clock, DEFAULT_SESSION).run();
  });
  afterAll(async () => {
    await catalyst.close();
  });

  it('finds every order and position of the session equal to its rebuild', async () => {
    const report = await verifyRun(bot, catalyst.rebuilder);
    expect(report.mismatches).toEqual([]);
    expect(report.verified).toBe(bot.executor.all().length + bot.positions.all().length);
    expect(report.verified).toBeGreaterThan(10);
  });

  it('names the aggregate and the path when the live state drifts from the log', async () => {
    const position = bot.positions.all().find((p) => p.status === 'closed')!;
    const order = bot.executor.all().find((o) => o.status === 'filled')!;
    const realized = position.realized_pnl;
    const status = order.status;
    position.realized_pnl += 0.01;
    order.status = 'cancelled';
    try {
      const report = await verifyRun(bot, catalyst.rebuilder);
      const byId = new Map(report.mismatches.map((m) => [m.aggregateId, m.differences]));
      expect(report.mismatches).toHaveLength(2);
      expect(byId.get(position.position_id)).toEqual([{ path: '$.realized_pnl', rebuilt: realized, live: realized + 0.01 }]);
      expect(byId.get(order.request.order_id)).toEqual([{ path: '$.status', rebuilt: 'filled', live: 'cancelled' }]);
    } finally {
      position.realized_pnl = realized;
      order.status = status;
    }
  });
});
