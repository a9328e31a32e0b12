/** `alert.decide` -> ALERT_DECISION_MADE, after the call (a string result is the decision). */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideDecision } from '../decide';
import { alertDecisionMade } from '../events';
import type { AlertHandlers } from './context';

export function attachDecide(h: AlertHandlers): void {
  h.after(ALERT_POINTS.decide, 'ALERT_DECISION_MADE', keysOf(alertDecisionMade), decideDecision, (result) =>
    typeof result === 'string' ? { decision: result } : {},
  );
}
