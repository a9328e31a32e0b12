/** `portfolio.dailyPnl` -> DAILY_PNL_CALCULATED, after the call; what the bot does not pass is read from the log. */
import type { PortfolioHookOptions } from '../decorators';
import { PORTFOLIO_POINTS } from '../decorators';
import { decideDailyPnl, finite, utcDate, type Input } from '../decide';
import type { Call, PortfolioHandlers } from './context';

export function attachDailyPnl(h: PortfolioHandlers): void {
  h.ctx.hooks.on<PortfolioHookOptions<Input> | undefined>(PORTFOLIO_POINTS.dailyPnl, {
    after(call: Call, result: unknown) {
      const input = h.inputOf(call, result);
      if (input === null) return;
      const date = typeof input.date === 'string' ? input.date : utcDate(h.ctx.clock.now());
      const account = h.accountOf(input);
      // Read the day back from the log only for what the bot did not pass.
      const seen = finite(input.realized_pnl) === null || finite(input.trades) === null ? h.realizedByDay.get(date) : undefined;
      const unrealized = finite(input.unrealized_pnl) === null ? h.unrealizedOf(account) : null;
      h.emit(decideDailyPnl(input, account, date, seen, unrealized));
    },
  });
}
