/** `alert.score` -> ALERT_SCORED, after the call (a number result is the score). */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideScored } from '../decide';
import { alertScored } from '../events';
import type { AlertHandlers } from './context';

export function attachScore(h: AlertHandlers): void {
  h.after(ALERT_POINTS.score, 'ALERT_SCORED', keysOf(alertScored), decideScored, (result) =>
    typeof result === 'number' ? { score: result } : {},
  );
}
