/** `risk.tripCircuitBreaker` -> CIRCUIT_BREAKER_TRIGGERED. */
import { RISK_POINTS } from '../decorators';
import { decideBreaker } from '../decide';
import type { RiskHandlers } from './context';

export const BREAKER_KEYS = ['book_id', 'reason', 'until'];

export function attachTripCircuitBreaker(h: RiskHandlers): void {
  h.after(RISK_POINTS.tripCircuitBreaker, BREAKER_KEYS, (input, call) =>
    decideBreaker('CIRCUIT_BREAKER_TRIGGERED', input, call.method, h.options.bookId),
  );
}
