/**
 * The hooks that emit one event after the call, from its result or arguments (accept,
 * reject, cancel, expire): a method returning `false` says it did not happen.
 */
import { requireKeys, resolveInputs, type Call, type Input } from '../../shared/input';
import type { HookOptions } from '../../shared/hook-options';
import type { OrderDecision } from '../decide';
import type { OrderEventType } from '../events';
import type { OrderHandlers } from './context';

export function attachSimple(
  h: OrderHandlers,
  point: string,
  eventType: OrderEventType,
  keys: readonly string[],
  decide: (input: Input, now: number) => OrderDecision,
): void {
  h.ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
    after(call: Call, result: unknown) {
      if (result === false) return; // the method says it did not happen
      for (const input of resolveInputs(call, result, 'after', keys)) {
        if (input.order_id === undefined && (result === null || result === undefined) && call.options?.map === undefined) continue;
        requireKeys(eventType, input, ['order_id']);
        h.emit(decide(input, h.rt.now()));
      }
    },
  });
}
