/** `order.generateSignal` -> SIGNAL_GENERATED, after the call, from its result. */
import { resolveInputs, type Call } from '../../shared/input';
import type { HookOptions } from '../../shared/hook-options';
import { keysOf } from '../../shared/plugin-runtime';
import { ORDER_POINTS } from '../decorators';
import { decideSignal } from '../decide';
import { signalGenerated } from '../events';
import type { OrderHandlers } from './context';

const SIGNAL_KEYS = keysOf(signalGenerated);

export function attachGenerateSignal(h: OrderHandlers): void {
  h.ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.generateSignal, {
    after(call: Call, result: unknown) {
      // No signal (null / false) means nothing was generated, unless a mapper says otherwise.
      if ((result === null || result === undefined || result === false) && call.options?.map === undefined) return;
      for (const input of resolveInputs(call, result, 'after', SIGNAL_KEYS)) h.emit(decideSignal(input));
    },
  });
}
