/** `risk.positionLimit` -> POSITION_LIMIT_WARNING / _EXCEEDED (nothing at 'ok'). */
import { RISK_POINTS } from '../decorators';
import { decidePositionLimit } from '../decide';
import type { RiskHandlers } from './context';

export function attachPositionLimit(h: RiskHandlers): void {
  h.after(RISK_POINTS.positionLimit, ['book_id', 'level', 'ticker', 'value', 'limit'], (input) =>
    decidePositionLimit(input, h.options.bookId),
  );
}
