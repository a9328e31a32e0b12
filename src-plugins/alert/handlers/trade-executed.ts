/** `alert.tradeExecuted` -> ALERT_TRADE_EXECUTED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideTradeExecuted } from '../decide';
import { alertTradeExecuted } from '../events';
import type { AlertHandlers } from './context';

export function attachTradeExecuted(h: AlertHandlers): void {
  h.after(ALERT_POINTS.tradeExecuted, 'ALERT_TRADE_EXECUTED', keysOf(alertTradeExecuted), decideTradeExecuted);
}
