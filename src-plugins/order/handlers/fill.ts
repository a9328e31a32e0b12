/**
 * `order.fill` -> ORDER_PARTIALLY_FILLED or ORDER_FILLED: before the call when the
 * arguments carry the fill (so a position the method opens follows it), else after.
 */
import { isRecord, requireKeys, resolveInputs, type Call, type Input } from '../../shared/input';
import type { HookOptions } from '../../shared/hook-options';
import { ORDER_POINTS } from '../decorators';
import { decideFill } from '../decide';
import { complete, type OrderHandlers } from './context';

const FILL_KEYS = [
  'order_id',
  'filled_quantity',
  'filled_price',
  'trade_id',
  'commission',
  'slippage',
  'expected_price',
  'leaves_quantity',
  'fill_time',
  'liquidity',
];
const FILL_REQUIRED = ['order_id', 'filled_quantity', 'filled_price'];

export function attachFill(h: OrderHandlers): void {
  /** Calls whose fill was emitted before the method ran. */
  const emittedBefore = new WeakSet<object>();
  const filled = (input: Input): void => h.emit(decideFill(input, h.orders.get(String(input.order_id)), h.rt.now()));

  h.ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.fill, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', FILL_KEYS);
      if (!complete(input, FILL_REQUIRED)) return;
      emittedBefore.add(call);
      filled(input);
    },
    after(call: Call, result: unknown) {
      if (emittedBefore.has(call)) return;
      for (const input of resolveInputs(call, result, 'after', FILL_KEYS)) {
        if (!complete(input, FILL_REQUIRED) && !isRecord(result)) continue;
        requireKeys('ORDER_FILLED', input, FILL_REQUIRED);
        filled(input);
      }
    },
  });
}
