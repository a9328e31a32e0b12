/** `order.cancel` -> ORDER_CANCELLED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideCancelled } from '../decide';
import { orderCancelled } from '../events';
import type { OrderHandlers } from './context';
import { attachSimple } from './simple';

export function attachCancel(h: OrderHandlers): void {
  attachSimple(h, ORDER_POINTS.cancel, 'ORDER_CANCELLED', keysOf(orderCancelled), decideCancelled);
}
