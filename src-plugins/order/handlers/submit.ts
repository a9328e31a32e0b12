/**
 * `order.submit` -> ORDER_SUBMITTED before the call when the arguments carry the order
 * (else after, from the result), then what the result or a throw adds: ORDER_ACCEPTED or
 * ORDER_REJECTED.
 */
import { errorMessage, errorReason, requireKeys, resolveError, resolveInputs, type Call, type Input } from '../../shared/input';
import type { HookOptions } from '../../shared/hook-options';
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideRejected, decideSubmitOutcome, decideSubmitted } from '../decide';
import { orderSubmitted } from '../events';
import { complete, type OrderHandlers } from './context';

const SUBMIT_KEYS = keysOf(orderSubmitted);
const SUBMIT_RESULT_KEYS = [...SUBMIT_KEYS, 'status', 'broker_order_id', 'reject_reason', 'broker_message'];
const SUBMIT_REQUIRED = ['order_id', 'ticker', 'side', 'quantity'];

export function attachSubmit(h: OrderHandlers): void {
  /** Calls whose ORDER_SUBMITTED was emitted before the method ran (so `after` must not emit it again). */
  const emittedBefore = new WeakMap<object, string>();
  const submitted = (input: Input): string => {
    h.emit(decideSubmitted(input));
    return String(input.order_id);
  };

  h.ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.submit, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', SUBMIT_KEYS);
      if (!complete(input, SUBMIT_REQUIRED)) return;
      emittedBefore.set(call, submitted(input));
    },
    after(call: Call, result: unknown) {
      const [input] = resolveInputs(call, result, 'after', SUBMIT_RESULT_KEYS);
      if (input === undefined) return;
      let orderId = emittedBefore.get(call);
      if (orderId === undefined) {
        if (!complete(input, SUBMIT_REQUIRED) && (result === null || result === undefined)) return;
        requireKeys('ORDER_SUBMITTED', input, SUBMIT_REQUIRED);
        orderId = submitted(input);
      }
      h.emit(decideSubmitOutcome(orderId, input, h.rt.now()));
    },
    error(call: Call, error: unknown) {
      let orderId = emittedBefore.get(call);
      if (orderId === undefined) {
        const [input] = resolveInputs(call, undefined, 'before', SUBMIT_KEYS);
        if (!complete(input, SUBMIT_REQUIRED)) return; // no order to speak of
        orderId = submitted(input);
      }
      const mapped = resolveError(call, error);
      if (mapped === null) return;
      h.emit(
        decideRejected(
          orderId,
          mapped.reject_reason ?? errorReason(error),
          mapped.broker_message ?? errorMessage(error),
          undefined,
          h.rt.now(),
        ),
      );
    },
  });
}
