/** `risk.dailyLossLimit` -> DAILY_LOSS_LIMIT_WARNING / _EXCEEDED (nothing at 'ok'). */
import { RISK_POINTS } from '../decorators';
import { decideDailyLossLimit } from '../decide';
import type { RiskHandlers } from './context';

export function attachDailyLossLimit(h: RiskHandlers): void {
  h.after(RISK_POINTS.dailyLossLimit, ['book_id', 'level', 'realized_pnl_today', 'limit'], (input) =>
    decideDailyLossLimit(input, h.options.bookId),
  );
}
