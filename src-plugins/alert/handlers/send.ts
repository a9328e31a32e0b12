/** `alert.send` -> ALERT_SENT_DISCORD, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideSent } from '../decide';
import { alertSentDiscord } from '../events';
import type { AlertHandlers } from './context';

export function attachSend(h: AlertHandlers): void {
  h.after(ALERT_POINTS.send, 'ALERT_SENT_DISCORD', keysOf(alertSentDiscord), decideSent);
}
