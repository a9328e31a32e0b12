/**
 * Position plugin hook points: the decorators a bot puts on its position-manager methods.
 *
 * ```ts
 * class Positions {
 *   @PositionHooks.fill()         // arg: the fill; result: at least { position_id }
 *   applyFill(fill: { ticker: string; trade_id: string; order_id: string; side: 'buy' | 'sell'; quantity: number; price: number; commission: number }) {
 *     ...; return { position_id };
 *   }
 *
 *   @PositionHooks.updatePrice()  // (ticker, price) or { position_id | ticker, new_price }
 *   onQuote(ticker: string, price: number) { ... }
 *
 *   @PositionHooks.modifyStop()   // { position_id, new_stop_loss_price, reason? }
 *   trailStop(p: { position_id: string; new_stop_loss_price: number; reason: string }) { ... }
 *
 *   @PositionHooks.triggerStop()  // { position_id, current_price, trigger_price? }
 *   stopHit(p: { position_id: string; current_price: number }) { ... }
 *
 *   @PositionHooks.close()        // { position_id, exit_price, exit_reason, trade_id?, commission? }
 *   close(p: { position_id: string; exit_price: number; exit_reason: 'stop_loss' }) { ... }
 * }
 * ```
 *
 * Conventions:
 * - The default input is the method's first argument overlaid by its return value (when
 *   either is an object); `map` answers are merged over that. `map` may return an array to
 *   emit one event per element (e.g. a batch price update).
 * - The plugin keeps, per plugin instance, the live state of the positions it emitted
 *   events for (folded with the same reducer), so it computes what the bot need not pass:
 *   old prices, unrealized and realized P&L, old stop / take-profit, hold duration.
 * - `fill` is the one-stop way to move a position with fills: no open position with that
 *   id -> POSITION_OPENED; same direction -> POSITION_INCREASED; opposite direction ->
 *   POSITION_REDUCED, or POSITION_CLOSED when it reaches zero; past zero (long -> short) ->
 *   POSITION_CLOSED plus POSITION_OPENED on `new_position_id` (default
 *   `<position_id>:<trade_id>`), commission pro-rated by quantity. A `trade_id` already
 *   applied to the position is ignored.
 * - `open` / `close` are for bots that open and close explicitly (the seed's way).
 * - `updatePrice` emits POSITION_PRICE_UPDATED only when the price moved more than the
 *   plugin option `priceThreshold` (default 0.001 = 0.1 %) since the last emitted update.
 *   With a `ticker` and no `position_id` it applies to every open position in that ticker.
 * - A method that returns `false` says it did not do it: nothing is emitted.
 * - Later calls continue the position's causal chain (and a position opened by a fill
 *   continues its order's chain).
 * - After a restart the plugin rebuilds a position it meets again from the log before
 *   deciding (a fill on an open position increases or reduces it, never opens it twice; a
 *   trade_id applied before the restart is still ignored; the throttle measures from the
 *   last emitted price). A `(ticker, price)` update looks for that ticker's positions left
 *   open in the log once per ticker.
 */
import { hook, type HookDecorator } from '../../src-core';
import type { z } from 'zod';
import type { HookOptions } from '../shared/hook-options';
import type { exitReason, positionSide } from './events';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

/** Hook point names (the core's registry keys). */
export const POSITION_POINTS = {
  open: 'position.open',
  fill: 'position.fill',
  updatePrice: 'position.updatePrice',
  modifyStop: 'position.modifyStop',
  modifyTakeProfit: 'position.modifyTakeProfit',
  triggerStop: 'position.triggerStop',
  triggerTakeProfit: 'position.triggerTakeProfit',
  close: 'position.close',
} as const;

/** The catalogue's enums (events.ts), not restated. */
export type PositionSide = z.output<typeof positionSide>;
/** Why a position closed (the catalogue's `exitReason`). */
export type ExitReason = z.output<typeof exitReason>;

/** `@PositionHooks.open()` -> POSITION_OPENED */
export interface PositionOpenInput {
  position_id: string;
  ticker: string;
  side: PositionSide;
  quantity: number;
  entry_price: number;
  signal_id?: string | null;
  order_id?: string | null;
  trade_id?: string | null;
  stop_loss_price?: number | null;
  take_profit_price?: number | null;
  /** Default quantity * entry_price. */
  cost_basis?: number;
  /** Entry commission. */
  commission?: number;
}

/** `@PositionHooks.fill()` -> POSITION_OPENED / _INCREASED / _REDUCED / _CLOSED (see above). */
export interface PositionFillInput {
  position_id: string;
  /** Broker execution id (dedupe key). */
  trade_id: string;
  ticker: string;
  /** The fill's side: buy adds to a long / reduces a short. */
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  commission?: number;
  order_id?: string | null;
  signal_id?: string | null;
  /** Used when the fill opens a position. */
  stop_loss_price?: number | null;
  take_profit_price?: number | null;
  /** Used when the fill closes a position (default 'manual'; 'reversal' on a flip). */
  exit_reason?: ExitReason;
  /** Id of the position a flip opens. */
  new_position_id?: string;
}

/** `@PositionHooks.updatePrice()` -> POSITION_PRICE_UPDATED (throttled). Also accepts `(ticker, price)` args. */
export interface PriceUpdateInput {
  /** One position, or ... */
  position_id?: string;
  /** ... every open position in this ticker. */
  ticker?: string;
  new_price: number;
  price_source?: string | null;
}

/** `@PositionHooks.modifyStop()` -> POSITION_STOP_LOSS_MODIFIED */
export interface StopModifyInput {
  position_id: string;
  new_stop_loss_price: number | null;
  reason?: string | null;
}

/** `@PositionHooks.modifyTakeProfit()` -> POSITION_TAKE_PROFIT_MODIFIED */
export interface TakeProfitModifyInput {
  position_id: string;
  new_take_profit_price: number | null;
  reason?: string | null;
}

/** `@PositionHooks.triggerStop()` / `.triggerTakeProfit()` -> STOP_LOSS_TRIGGERED / TAKE_PROFIT_TRIGGERED */
export interface TriggerInput {
  position_id: string;
  current_price: number;
  /** Default: the position's current stop (or take-profit) price. */
  trigger_price?: number;
}

/** `@PositionHooks.close()` -> POSITION_CLOSED */
export interface PositionCloseInput {
  position_id: string;
  exit_price: number;
  exit_reason: ExitReason;
  /** Default: the whole open quantity. */
  quantity?: number;
  commission?: number;
  trade_id?: string | null;
  order_id?: string | null;
  /** Overrides the computed value (the seed's bot computes its own). */
  realized_pnl?: number;
}

/** Decorator factories. Each returns a method decorator for standard and legacy (experimentalDecorators) decorators alike. */
export const PositionHooks = {
  /** Marks a method that opens a position explicitly ({@link PositionOpenInput}); emits POSITION_OPENED. */
  open: (options: HookOptions<PositionOpenInput> = {}): HookDecorator => hook(POSITION_POINTS.open, options),
  /**
   * Marks a method that applies a fill ({@link PositionFillInput}); emits POSITION_OPENED, _INCREASED, _REDUCED or _CLOSED
   * (a flip: POSITION_CLOSED then POSITION_OPENED). A `trade_id` already applied emits nothing.
   */
  fill: (options: HookOptions<PositionFillInput> = {}): HookDecorator => hook(POSITION_POINTS.fill, options),
  /**
   * Marks a method that receives a price ({@link PriceUpdateInput}, or `(ticker, price)`); emits POSITION_PRICE_UPDATED
   * when the price moved more than `priceThreshold` since the last one.
   */
  updatePrice: (options: HookOptions<PriceUpdateInput> = {}): HookDecorator => hook(POSITION_POINTS.updatePrice, options),
  /** Marks a method that moves a stop-loss ({@link StopModifyInput}); emits POSITION_STOP_LOSS_MODIFIED. */
  modifyStop: (options: HookOptions<StopModifyInput> = {}): HookDecorator => hook(POSITION_POINTS.modifyStop, options),
  /** Marks a method that moves a take-profit ({@link TakeProfitModifyInput}); emits POSITION_TAKE_PROFIT_MODIFIED. */
  modifyTakeProfit: (options: HookOptions<TakeProfitModifyInput> = {}): HookDecorator => hook(POSITION_POINTS.modifyTakeProfit, options),
  /** Marks a method called when a stop-loss is hit ({@link TriggerInput}); emits STOP_LOSS_TRIGGERED. */
  triggerStop: (options: HookOptions<TriggerInput> = {}): HookDecorator => hook(POSITION_POINTS.triggerStop, options),
  /** Marks a method called when a take-profit is hit ({@link TriggerInput}); emits TAKE_PROFIT_TRIGGERED. */
  triggerTakeProfit: (options: HookOptions<TriggerInput> = {}): HookDecorator => hook(POSITION_POINTS.triggerTakeProfit, options),
  /**
   * Marks a method that closes a position explicitly ({@link PositionCloseInput}); emits POSITION_CLOSED with the
   * realized P&L and hold duration computed.
   */
  close: (options: HookOptions<PositionCloseInput> = {}): HookDecorator => hook(POSITION_POINTS.close, options),
} as const;
