/**
 * Order plugin hook points: the decorators a bot puts on its order-executor methods.
 *
 * ```ts
 * class Executor {
 *   @OrderHooks.generateSignal()            // returns SignalInput (or null: no signal)
 *   generateSignal(alert: Alert): Signal | null { ... }
 *
 *   @OrderHooks.submit()                    // first arg (or result) is an OrderSubmitInput
 *   submit(order: { order_id: string; ticker: string; side: 'buy' | 'sell'; quantity: number; order_type: 'market' }) { ... }
 *
 *   @OrderHooks.fill()                      // first arg (or result) is an OrderFillInput
 *   onFill(fill: { order_id: string; trade_id: string; filled_quantity: number; filled_price: number; commission: number }) { ... }
 *
 *   // a different signature: adapt it with `map`
 *   @OrderHooks.cancel({ map: ([id, why]) => ({ order_id: id as string, reason: why as string }) })
 *   cancelOrder(id: string, why: string) { ... }
 * }
 * const executor = hooks.bind(new Executor());  // HookRegistry.bind, once the plugins are loaded
 * ```
 *
 * Conventions (all keys snake_case, the event catalogue's names):
 * - The default input is the method's first argument overlaid by its return value (when
 *   either is an object); only the keys of the event's payload are taken. `map` answers are
 *   merged over that and kept whole.
 * - `submit` emits ORDER_SUBMITTED *before* the call when the arguments already carry
 *   `order_id`, `ticker`, `side` and `quantity` (so fills emitted inside the call come
 *   after it); otherwise after, from the result. A result with `status: 'rejected'` adds
 *   ORDER_REJECTED, `status: 'accepted'` adds ORDER_ACCEPTED. A throw adds ORDER_REJECTED
 *   (`reject_reason` = the error's `code` or name, `broker_message` = its message).
 * - `fill` emits *before* the call when the arguments carry `order_id`, `filled_quantity`
 *   and `filled_price` (so a position the method opens follows the fill), else after.
 *   It decides partial vs final itself from the order's submitted quantity and what
 *   was filled before (an explicit `leaves_quantity` wins), and computes
 *   `cumulative_quantity`, `leaves_quantity`, `avg_fill_price` and `slippage` (from
 *   `expected_price` or the limit price). A `trade_id` seen before is ignored.
 * - A call whose result is null/undefined and whose arguments carry no id emits nothing.
 * - `accept`, `reject`, `cancel`, `expire`: a method that returns `false` says it did not
 *   happen (the broker refused the cancel, say): nothing is emitted.
 * - Events of one order or signal continue its causal chain even when emitted from a later,
 *   separate call (a fill on a later tick links to its ORDER_SUBMITTED).
 * - After a restart an order the plugin meets again is rebuilt from the log first, so its
 *   fills keep adding up, a trade_id seen before the restart is still ignored, and its
 *   events continue the original chain.
 */
import { hook, type ChainRef, type HookCall, type PluginContext } from '../../src-core';
import type { HookOptions } from '../shared/hook-options';
import { errorMessage, errorReason, isRecord, lower, resolveError, resolveInputs, type Input } from '../shared/input';
import { LiveStates } from '../shared/live-states';
import { keysOf, PluginRuntime } from '../shared/plugin-runtime';
import { EPSILON, num, str } from '../shared/reduce-helpers';
import {
  ORDER_AGGREGATE,
  orderAccepted,
  orderCancelled,
  orderExpired,
  orderRejected,
  orderSubmitted,
  SIGNAL_AGGREGATE,
  signalGenerated,
} from './events';
import { orderReducer } from './order-reducer';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

/** Hook point names (the core's registry keys). */
export const ORDER_POINTS = {
  generateSignal: 'order.generateSignal',
  submit: 'order.submit',
  accept: 'order.accept',
  fill: 'order.fill',
  reject: 'order.reject',
  cancel: 'order.cancel',
  expire: 'order.expire',
} as const;

/** `@OrderHooks.generateSignal()`: the method returns (or receives) a signal. -> SIGNAL_GENERATED */
export interface SignalInput {
  signal_id: string;
  ticker: string;
  action: 'buy' | 'sell' | 'short' | 'cover';
  /** 0..1 */
  confidence: number;
  reasoning?: string | null;
  timeframe?: string | null;
  source_alert_id?: string | null;
  /** What the signal was decided on (score, threshold, ...): kept in the payload. */
  inputs?: Record<string, unknown>;
  /** Suggested size and prices, if the strategy gives them. */
  quantity?: number | null;
  entry_price?: number | null;
  stop_loss_price?: number | null;
  take_profit_price?: number | null;
}

/** `@OrderHooks.submit()` -> ORDER_SUBMITTED (+ ORDER_ACCEPTED / ORDER_REJECTED, see above). */
export interface OrderSubmitInput {
  order_id: string;
  signal_id?: string | null;
  ticker: string;
  side: 'buy' | 'sell';
  quantity: number;
  /** Default 'market'. */
  order_type?: 'market' | 'limit' | 'stop' | 'stop_limit';
  limit_price?: number | null;
  stop_price?: number | null;
  extended_hours?: boolean;
  /** Default 'day'. */
  time_in_force?: 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls';
  /** Price the bot expected when it decided; slippage of later fills is measured against it. */
  expected_price?: number | null;
  /** Optional result-side keys. */
  status?: 'submitted' | 'accepted' | 'rejected';
  broker_order_id?: string | null;
  reject_reason?: string | null;
  broker_message?: string | null;
}

/** `@OrderHooks.accept()` -> ORDER_ACCEPTED */
export interface OrderAcceptInput {
  order_id: string;
  broker_order_id?: string | null;
  /** ISO string or Unix ms; default: the clock's now. */
  accepted_at?: string | number | null;
}

/** `@OrderHooks.fill()` -> ORDER_PARTIALLY_FILLED or ORDER_FILLED. Quantity and price are of THIS fill. */
export interface OrderFillInput {
  order_id: string;
  filled_quantity: number;
  filled_price: number;
  /** Broker execution id: a fill seen twice (same trade_id) is emitted once. */
  trade_id?: string | null;
  commission?: number;
  /** Overrides the computed slippage (filled_price - expected price). */
  slippage?: number;
  expected_price?: number | null;
  /** Force the choice; by default a fill is final when nothing is left to fill. */
  leaves_quantity?: number;
  fill_time?: string | number | null;
  liquidity?: 'maker' | 'taker' | string | null;
}

/** `@OrderHooks.reject()` -> ORDER_REJECTED */
export interface OrderRejectInput {
  order_id: string;
  /** A short code: 'insufficient_funds', 'risk', 'market_closed', ... */
  reject_reason: string;
  broker_message?: string | null;
  rejected_at?: string | number | null;
}

/** `@OrderHooks.cancel()` -> ORDER_CANCELLED */
export interface OrderCancelInput {
  order_id: string;
  reason?: string | null;
  cancelled_at?: string | number | null;
}

/** `@OrderHooks.expire()` -> ORDER_EXPIRED */
export interface OrderExpireInput {
  order_id: string;
  expired_at?: string | number | null;
}

/** Decorator factories. Each returns a legacy (experimentalDecorators) method decorator. */
export const OrderHooks = {
  generateSignal: (options: HookOptions<SignalInput> = {}): MethodDecorator => hook(ORDER_POINTS.generateSignal, options),
  submit: (options: HookOptions<OrderSubmitInput> = {}): MethodDecorator => hook(ORDER_POINTS.submit, options),
  accept: (options: HookOptions<OrderAcceptInput> = {}): MethodDecorator => hook(ORDER_POINTS.accept, options),
  fill: (options: HookOptions<OrderFillInput> = {}): MethodDecorator => hook(ORDER_POINTS.fill, options),
  reject: (options: HookOptions<OrderRejectInput> = {}): MethodDecorator => hook(ORDER_POINTS.reject, options),
  cancel: (options: HookOptions<OrderCancelInput> = {}): MethodDecorator => hook(ORDER_POINTS.cancel, options),
  expire: (options: HookOptions<OrderExpireInput> = {}): MethodDecorator => hook(ORDER_POINTS.expire, options),
} as const;

// ---------------------------------------------------------------------------------------
// Handlers: what each hook point emits. Attached by the plugin's register(ctx).

type Call = HookCall<HookOptions<unknown> | undefined>;

const SIGNAL_KEYS = keysOf(signalGenerated);
const SUBMIT_KEYS = keysOf(orderSubmitted);
const SUBMIT_RESULT_KEYS = [...SUBMIT_KEYS, 'status', 'broker_order_id', 'reject_reason', 'broker_message'];
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
const SUBMIT_REQUIRED = ['order_id', 'ticker', 'side', 'quantity'];
const FILL_REQUIRED = ['order_id', 'filled_quantity', 'filled_price'];

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const complete = (input: Input | undefined, keys: readonly string[]): input is Input =>
  input !== undefined && keys.every((k) => input[k] !== undefined && input[k] !== null && input[k] !== '');

/** Attaches the order plugin's handlers. All state lives in this closure: one per plugin instance. */
export function registerOrderHooks(ctx: PluginContext): PluginRuntime {
  const rt = new PluginRuntime(ctx);
  /** Live order state, folded with the same reducer the rebuilder uses (rebuilt from the log on a miss). */
  const orders = new LiveStates(ctx.history, orderReducer);
  /** Calls whose event was emitted before the method ran (so `after` must not emit it again). */
  const emittedBefore = new WeakMap<object, string>();

  const emitOrder = (eventType: string, orderId: string, payload: Input, extraLinks: (ChainRef | null)[] = []): void => {
    orders.advance(orderId, () =>
      rt.emit({
        eventType,
        aggregateType: ORDER_AGGREGATE,
        aggregateId: orderId,
        payload,
        follow: [rt.ref(ORDER_AGGREGATE, orderId), ...extraLinks],
      }),
    );
  };

  const submitted = (input: Input): void => {
    const payload: Input = {};
    for (const key of SUBMIT_KEYS) if (input[key] !== undefined) payload[key] = input[key];
    payload.side = lower(input.side);
    payload.order_type = lower(input.order_type) ?? 'market';
    if (input.time_in_force !== undefined) payload.time_in_force = lower(input.time_in_force);
    const orderId = String(input.order_id);
    emitOrder('ORDER_SUBMITTED', orderId, payload, [rt.ref(SIGNAL_AGGREGATE, str(input.signal_id))]);
  };

  const rejected = (orderId: string, reason: unknown, message: unknown, at?: unknown): void => {
    emitOrder('ORDER_REJECTED', orderId, {
      order_id: orderId,
      reject_reason: typeof reason === 'string' && reason ? reason : 'rejected',
      broker_message: typeof message === 'string' ? message : null,
      rejected_at: rt.iso(at),
    });
  };

  const filled = (input: Input): void => {
    const orderId = String(input.order_id);
    const live = orders.get(orderId);
    const tradeId = str(input.trade_id);
    if (tradeId !== null && live?.trade_ids.includes(tradeId)) return; // seen: applied once
    const qty = num(input.filled_quantity);
    const price = num(input.filled_price);
    rt.require('ORDER_FILLED', { filled_quantity: qty, filled_price: price }, ['filled_quantity', 'filled_price']);
    const prev = live?.cumulative_quantity ?? 0;
    const cumulative = prev + qty!;
    const avg = prev > EPSILON ? ((live?.avg_fill_price ?? price!) * prev + price! * qty!) / cumulative : price!;
    const leaves = num(input.leaves_quantity) ?? (live?.quantity != null ? Math.max(0, live.quantity - cumulative) : 0);
    const expected = num(input.expected_price) ?? live?.expected_price ?? num(live?.limit_price);
    const common = {
      order_id: orderId,
      commission: num(input.commission) ?? 0,
      trade_id: tradeId,
      fill_time: rt.iso(input.fill_time),
      liquidity: str(input.liquidity),
    };
    if (leaves > EPSILON) {
      emitOrder('ORDER_PARTIALLY_FILLED', orderId, {
        ...common,
        filled_quantity: qty,
        filled_price: price,
        cumulative_quantity: cumulative,
        leaves_quantity: leaves,
        avg_fill_price: avg,
        slippage: num(input.slippage) ?? (expected !== null ? round4(price! - expected) : null),
      });
    } else {
      // Totals in the seed's keys (its rebuild_order reads them), this fill in ours.
      emitOrder('ORDER_FILLED', orderId, {
        ...common,
        filled_quantity: cumulative,
        filled_price: avg,
        last_fill_quantity: qty,
        last_fill_price: price,
        cumulative_quantity: cumulative,
        slippage: num(input.slippage) ?? (expected !== null ? round4(avg - expected) : null),
      });
    }
  };

  /** One event from the call's result (or arguments), after the call: the simple hooks. */
  const simple = (point: string, eventType: string, keys: readonly string[], emit: (input: Input) => void): void => {
    ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        if (result === false) return; // the method says it did not happen
        for (const input of resolveInputs(call, result, 'after', keys)) {
          if (input.order_id === undefined && (result === null || result === undefined) && call.options?.map === undefined) continue;
          rt.require(eventType, input, ['order_id']);
          emit(input);
        }
      },
    });
  };

  ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.generateSignal, {
    after(call: Call, result: unknown) {
      // No signal (null / false) means nothing was generated, unless a mapper says otherwise.
      if ((result === null || result === undefined || result === false) && call.options?.map === undefined) return;
      for (const input of resolveInputs(call, result, 'after', SIGNAL_KEYS)) {
        rt.require('SIGNAL_GENERATED', input, ['signal_id', 'ticker', 'action']);
        const signalId = String(input.signal_id);
        rt.emit({
          eventType: 'SIGNAL_GENERATED',
          aggregateType: SIGNAL_AGGREGATE,
          aggregateId: signalId,
          payload: { ...input, action: lower(input.action), confidence: num(input.confidence) },
          follow: [rt.ref(SIGNAL_AGGREGATE, signalId), rt.ref('alert', str(input.source_alert_id))],
        });
      }
    },
  });

  ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.submit, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', SUBMIT_KEYS);
      if (!complete(input, SUBMIT_REQUIRED)) return;
      submitted(input);
      emittedBefore.set(call, String(input.order_id));
    },
    after(call: Call, result: unknown) {
      const [input] = resolveInputs(call, result, 'after', SUBMIT_RESULT_KEYS);
      if (input === undefined) return;
      let orderId = emittedBefore.get(call);
      if (orderId === undefined) {
        if (!complete(input, SUBMIT_REQUIRED) && (result === null || result === undefined)) return;
        rt.require('ORDER_SUBMITTED', input, SUBMIT_REQUIRED);
        submitted(input);
        orderId = String(input.order_id);
      }
      const status = lower(input.status);
      if (status === 'rejected' || (status === undefined && typeof input.reject_reason === 'string')) {
        rejected(orderId, input.reject_reason, input.broker_message);
      } else if (status === 'accepted') {
        emitOrder('ORDER_ACCEPTED', orderId, {
          order_id: orderId,
          broker_order_id: str(input.broker_order_id),
          accepted_at: rt.iso(),
        });
      }
    },
    error(call: Call, error: unknown) {
      let orderId = emittedBefore.get(call);
      if (orderId === undefined) {
        const [input] = resolveInputs(call, undefined, 'before', SUBMIT_KEYS);
        if (!complete(input, SUBMIT_REQUIRED)) return; // no order to speak of
        submitted(input);
        orderId = String(input.order_id);
      }
      const mapped = resolveError(call, error);
      if (mapped === null) return;
      rejected(orderId, mapped.reject_reason ?? errorReason(error), mapped.broker_message ?? errorMessage(error));
    },
  });

  ctx.hooks.on<HookOptions<unknown> | undefined>(ORDER_POINTS.fill, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', FILL_KEYS);
      if (!complete(input, FILL_REQUIRED)) return;
      emittedBefore.set(call, String(input.order_id));
      filled(input);
    },
    after(call: Call, result: unknown) {
      if (emittedBefore.has(call)) return;
      for (const input of resolveInputs(call, result, 'after', FILL_KEYS)) {
        if (!complete(input, FILL_REQUIRED) && !isRecord(result)) continue;
        rt.require('ORDER_FILLED', input, FILL_REQUIRED);
        filled(input);
      }
    },
  });

  simple(ORDER_POINTS.accept, 'ORDER_ACCEPTED', keysOf(orderAccepted), (input) => {
    const orderId = String(input.order_id);
    emitOrder('ORDER_ACCEPTED', orderId, { ...input, accepted_at: rt.iso(input.accepted_at) });
  });
  simple(ORDER_POINTS.reject, 'ORDER_REJECTED', keysOf(orderRejected), (input) => {
    rejected(String(input.order_id), input.reject_reason, input.broker_message, input.rejected_at);
  });
  simple(ORDER_POINTS.cancel, 'ORDER_CANCELLED', keysOf(orderCancelled), (input) => {
    const orderId = String(input.order_id);
    emitOrder('ORDER_CANCELLED', orderId, { ...input, cancelled_at: rt.iso(input.cancelled_at) });
  });
  simple(ORDER_POINTS.expire, 'ORDER_EXPIRED', keysOf(orderExpired), (input) => {
    const orderId = String(input.order_id);
    emitOrder('ORDER_EXPIRED', orderId, { ...input, expired_at: rt.iso(input.expired_at) });
  });
  return rt;
}
