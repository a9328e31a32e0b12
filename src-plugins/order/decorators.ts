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
import { hook, type HookDecorator } from '../../src-core';
import type { z } from 'zod';
import type { HookOptions } from '../shared/hook-options';
import type { timeInForce } from './events';

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
  time_in_force?: z.output<typeof timeInForce>;
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
  /** 'maker' or 'taker' (offered by editors), or a venue's own code. */
  liquidity?: 'maker' | 'taker' | (string & Record<never, never>) | null;
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

/** Decorator factories. Each returns a method decorator for standard and legacy (experimentalDecorators) decorators alike. */
export const OrderHooks = {
  /** Marks a method that produces a signal ({@link SignalInput}); emits SIGNAL_GENERATED, nothing for a null result. */
  generateSignal: (options: HookOptions<SignalInput> = {}): HookDecorator => hook(ORDER_POINTS.generateSignal, options),
  /**
   * Marks a method that sends an order ({@link OrderSubmitInput}); emits ORDER_SUBMITTED, then ORDER_ACCEPTED or
   * ORDER_REJECTED from the result or a throw.
   */
  submit: (options: HookOptions<OrderSubmitInput> = {}): HookDecorator => hook(ORDER_POINTS.submit, options),
  /** Marks a method that learns the broker accepted an order ({@link OrderAcceptInput}); emits ORDER_ACCEPTED unless it returns `false`. */
  accept: (options: HookOptions<OrderAcceptInput> = {}): HookDecorator => hook(ORDER_POINTS.accept, options),
  /** Marks a method that receives a fill ({@link OrderFillInput}); emits ORDER_PARTIALLY_FILLED or ORDER_FILLED. */
  fill: (options: HookOptions<OrderFillInput> = {}): HookDecorator => hook(ORDER_POINTS.fill, options),
  /** Marks a method that learns an order was rejected ({@link OrderRejectInput}); emits ORDER_REJECTED unless it returns `false`. */
  reject: (options: HookOptions<OrderRejectInput> = {}): HookDecorator => hook(ORDER_POINTS.reject, options),
  /** Marks a method that cancels an order ({@link OrderCancelInput}); emits ORDER_CANCELLED unless it returns `false`. */
  cancel: (options: HookOptions<OrderCancelInput> = {}): HookDecorator => hook(ORDER_POINTS.cancel, options),
  /** Marks a method that learns an order expired ({@link OrderExpireInput}); emits ORDER_EXPIRED unless it returns `false`. */
  expire: (options: HookOptions<OrderExpireInput> = {}): HookDecorator => hook(ORDER_POINTS.expire, options),
} as const;
