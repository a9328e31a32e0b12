/** `risk.resetCircuitBreaker` -> CIRCUIT_BREAKER_RESET. */
import { RISK_POINTS } from '../decorators';
import { decideBreaker } from '../decide';
import type { RiskHandlers } from './context';
import { BREAKER_KEYS } from './trip-circuit-breaker';

export function attachResetCircuitBreaker(h: RiskHandlers): void {
  h.after(RISK_POINTS.resetCircuitBreaker, BREAKER_KEYS, (input, call) =>
    decideBreaker('CIRCUIT_BREAKER_RESET', input, call.method, h.options.bookId),
  );
}
