/** `order.reject` -> ORDER_REJECTED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideRejected } from '../decide';
import { orderRejected } from '../events';
import type { OrderHandlers } from './context';
import { attachSimple } from './simple';

export function attachReject(h: OrderHandlers): void {
  attachSimple(h, ORDER_POINTS.reject, 'ORDER_REJECTED', keysOf(orderRejected), (input, now) =>
    decideRejected(String(input.order_id), input.reject_reason, input.broker_message, input.rejected_at, now),
  );
}
