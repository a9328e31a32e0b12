/**
 * What the order plugin's handlers share, one per plugin instance (created by `attach`):
 * the runtime that emits decisions and the live order states they decide on.
 */
import type { PluginContext } from '../../../src-core';
import type { Input } from '../../shared/input';
import { LiveStates } from '../../shared/live-states';
import { PluginRuntime } from '../../shared/plugin-runtime';
import { ORDER_EVENTS } from '../events';
import type { OrderDecision } from '../decide';
import type { OrderReducer } from '../order-reducer';

export class OrderHandlers {
  readonly rt: PluginRuntime<typeof ORDER_EVENTS>;
  /** Live order state, folded with the same reducer the rebuilder uses (rebuilt from the log on a miss). */
  readonly orders: LiveStates<ReturnType<OrderReducer['initialState']>>;

  constructor(
    readonly ctx: PluginContext,
    reducer: OrderReducer,
  ) {
    this.rt = new PluginRuntime(ctx, ORDER_EVENTS);
    this.orders = new LiveStates(ctx.history, reducer);
  }

  /** Emits a decision; an order event also advances the order's live state. */
  emit(decision: OrderDecision | null): void {
    if (decision === null) return;
    if (decision.eventType === 'SIGNAL_GENERATED') {
      this.rt.emit(decision);
      return;
    }
    this.orders.advance(decision.aggregateId, () => this.rt.emit(decision));
  }
}

/** Whether the input has every key (non-empty): enough to emit before the call. */
export function complete(input: Input | undefined, keys: readonly string[]): input is Input {
  return input !== undefined && keys.every((k) => input[k] !== undefined && input[k] !== null && input[k] !== '');
}
