/** `alert.classify` -> ALERT_CLASSIFIED, after the call (nothing without a result). */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideClassified } from '../decide';
import { alertClassified } from '../events';
import type { AlertHandlers } from './context';

export function attachClassify(h: AlertHandlers): void {
  h.after(ALERT_POINTS.classify, 'ALERT_CLASSIFIED', keysOf(alertClassified), decideClassified, () => ({}));
}
