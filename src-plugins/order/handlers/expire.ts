/** `order.expire` -> ORDER_EXPIRED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideExpired } from '../decide';
import { orderExpired } from '../events';
import type { OrderHandlers } from './context';
import { attachSimple } from './simple';

export function attachExpire(h: OrderHandlers): void {
  attachSimple(h, ORDER_POINTS.expire, 'ORDER_EXPIRED', keysOf(orderExpired), decideExpired);
}
