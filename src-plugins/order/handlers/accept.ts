/** `order.accept` -> ORDER_ACCEPTED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideAccepted } from '../decide';
import { orderAccepted } from '../events';
import type { OrderHandlers } from './context';
import { attachSimple } from './simple';

export function attachAccept(h: OrderHandlers): void {
  attachSimple(h, ORDER_POINTS.accept, 'ORDER_ACCEPTED', keysOf(orderAccepted), decideAccepted);
}
