/** `alert.skip` -> ALERT_SKIPPED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideSkipped } from '../decide';
import { alertSkipped } from '../events';
import type { AlertHandlers } from './context';

export function attachSkip(h: AlertHandlers): void {
  h.after(ALERT_POINTS.skip, 'ALERT_SKIPPED', keysOf(alertSkipped), decideSkipped);
}
