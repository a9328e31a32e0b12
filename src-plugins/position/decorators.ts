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
import { z } from 'zod';
import { hook, isCorruptEvent, ValidationError, type ChainRef, type HookCall, type PluginContext } from '../../src-core';
import { BoundedMap } from '../shared/bounded-map';
import type { HookOptions } from '../shared/hook-options';
import { lower, pick, resolveInputs, type Input } from '../shared/input';
import { LiveStates } from '../shared/live-states';
import { parsePluginOptions } from '../shared/plugin-options';
import { keysOf, PluginRuntime } from '../shared/plugin-runtime';
import { EPSILON, num, str } from '../shared/reduce-helpers';
import { POSITION_AGGREGATE, positionClosed, positionOpened, stopLossModified, takeProfitModified, triggered } from './events';
import { direction, positionReducer, realizedOn, unrealizedAt, type PositionState } from './reducer';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

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

export type PositionSide = 'long' | 'short';
export type ExitReason = 'stop_loss' | 'take_profit' | 'manual' | 'timeout' | 'risk' | 'reversal' | 'signal' | 'eod';

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

export const PositionHooks = {
  open: (options: HookOptions<PositionOpenInput> = {}): MethodDecorator => hook(POSITION_POINTS.open, options),
  fill: (options: HookOptions<PositionFillInput> = {}): MethodDecorator => hook(POSITION_POINTS.fill, options),
  updatePrice: (options: HookOptions<PriceUpdateInput> = {}): MethodDecorator => hook(POSITION_POINTS.updatePrice, options),
  modifyStop: (options: HookOptions<StopModifyInput> = {}): MethodDecorator => hook(POSITION_POINTS.modifyStop, options),
  modifyTakeProfit: (options: HookOptions<TakeProfitModifyInput> = {}): MethodDecorator =>
    hook(POSITION_POINTS.modifyTakeProfit, options),
  triggerStop: (options: HookOptions<TriggerInput> = {}): MethodDecorator => hook(POSITION_POINTS.triggerStop, options),
  triggerTakeProfit: (options: HookOptions<TriggerInput> = {}): MethodDecorator =>
    hook(POSITION_POINTS.triggerTakeProfit, options),
  close: (options: HookOptions<PositionCloseInput> = {}): MethodDecorator => hook(POSITION_POINTS.close, options),
} as const;

// ---------------------------------------------------------------------------------------
// Handlers: what each hook point emits. Attached by the plugin's register(ctx).

type Call = HookCall<HookOptions<unknown> | undefined>;

/** The position plugin's options (`pluginOptions.position` in the config). */
export const positionOptionsSchema = z.looseObject({
  /** Emit a price update only when the price moved more than this fraction since the last one. */
  priceThreshold: z.number().min(0).default(0.001),
});
export type PositionOptions = z.output<typeof positionOptionsSchema>;

export function parsePositionOptions(options: Readonly<Record<string, unknown>>): PositionOptions {
  return parsePluginOptions('position', positionOptionsSchema, options);
}

const OPEN_KEYS = [...keysOf(positionOpened), 'commission'];
const FILL_KEYS = [
  'position_id',
  'trade_id',
  'ticker',
  'side',
  'quantity',
  'price',
  'commission',
  'order_id',
  'signal_id',
  'stop_loss_price',
  'take_profit_price',
  'exit_reason',
  'new_position_id',
];
const PRICE_KEYS = ['position_id', 'ticker', 'new_price', 'price', 'price_source', 'new_unrealized_pnl'];
const CLOSE_KEYS = [...keysOf(positionClosed), 'realized_pnl', 'hold_duration_seconds'];

/** 'long' / 'short' from a position side or a fill side. */
function positionSide(side: unknown): 'long' | 'short' | undefined {
  const s = lower(side);
  if (s === 'long' || s === 'buy' || s === 'cover') return 'long';
  if (s === 'short' || s === 'sell') return 'short';
  return undefined;
}

/** Attaches the position plugin's handlers. All state lives in this closure: one per plugin instance. */
export function registerPositionHooks(ctx: PluginContext): PluginRuntime {
  const { priceThreshold } = parsePositionOptions(ctx.options);
  const rt = new PluginRuntime(ctx);
  /** Live position state, folded with the same reducer the rebuilder uses (rebuilt from the log on a miss). */
  const positions = new LiveStates(ctx.history, positionReducer);
  /** Tickers whose open positions in the log have been looked for (a `(ticker, price)` update after a restart). */
  const tickersLoaded = new BoundedMap<string, true>();

  const emitPosition = (eventType: string, positionId: string, payload: Input, links: (ChainRef | null)[] = [], at = rt.now()): PositionState =>
    positions.advance(positionId, () =>
      rt.emit(
        { eventType, aggregateType: POSITION_AGGREGATE, aggregateId: positionId, payload, follow: [rt.ref(POSITION_AGGREGATE, positionId), ...links] },
        at,
      ),
    );

  /** Positions open in `ticker`: those in memory, plus (once per ticker) those the log holds open. */
  const openIn = (ticker: string): PositionState[] => {
    if (!tickersLoaded.has(ticker)) {
      tickersLoaded.set(ticker, true);
      loadOpenPositions(ticker);
    }
    const open: PositionState[] = [];
    for (const p of positions.values()) if (p.status === 'open' && p.ticker === ticker) open.push(p);
    return open;
  };

  const loadOpenPositions = (ticker: string): void => {
    let after: number | undefined;
    do {
      const page = ctx.history.page({ types: ['POSITION_OPENED'], aggregateType: POSITION_AGGREGATE, text: ticker }, { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const record of page.records) {
        if (isCorruptEvent(record) || record.payload.ticker !== ticker || positions.has(record.aggregate_id)) continue;
        if (ctx.history.last(POSITION_AGGREGATE, record.aggregate_id)?.event_type === 'POSITION_CLOSED') continue;
        positions.get(record.aggregate_id); // rebuilt into memory
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
  };

  const open = (input: Input, links: (ChainRef | null)[] = []): void => {
    rt.require('POSITION_OPENED', input, ['position_id', 'ticker', 'side', 'quantity', 'entry_price']);
    const quantity = num(input.quantity)!;
    const entry = num(input.entry_price)!;
    const id = String(input.position_id);
    emitPosition(
      'POSITION_OPENED',
      id,
      {
        ...pick(input, OPEN_KEYS),
        side: positionSide(input.side) ?? input.side,
        quantity,
        entry_price: entry,
        stop_loss_price: num(input.stop_loss_price),
        take_profit_price: num(input.take_profit_price),
        cost_basis: num(input.cost_basis) ?? quantity * entry,
        commission: num(input.commission) ?? 0,
      },
      [...links, rt.ref('order', str(input.order_id)), rt.ref('signal', str(input.signal_id))],
    );
  };

  const close = (live: PositionState, input: Input): void => {
    const at = rt.now();
    const exitPrice = num(input.exit_price)!;
    const commission = num(input.commission) ?? 0;
    const { pnl } = realizedOn(live, live.open_quantity, exitPrice, commission);
    const realized = num(input.realized_pnl) ?? live.realized_pnl + pnl;
    emitPosition(
      'POSITION_CLOSED',
      live.position_id,
      {
        position_id: live.position_id,
        ticker: live.ticker,
        side: live.side,
        exit_reason: lower(input.exit_reason) ?? 'manual',
        exit_price: exitPrice,
        entry_price: live.entry_price,
        quantity: live.open_quantity,
        realized_pnl: realized,
        hold_duration_seconds: (at - (live.opened_at ?? at)) / 1000,
        return_pct: live.entry_cost_total > 0 ? (realized / live.entry_cost_total) * 100 : null,
        commission,
        trade_id: str(input.trade_id),
        order_id: str(input.order_id),
      },
      [rt.ref('order', str(input.order_id))],
      at,
    );
  };

  const reduce = (live: PositionState, quantity: number, price: number, input: Input): void => {
    const commission = num(input.commission) ?? 0;
    const { pnl } = realizedOn(live, quantity, price, commission);
    emitPosition(
      'POSITION_REDUCED',
      live.position_id,
      {
        position_id: live.position_id,
        quantity,
        price,
        commission,
        trade_id: str(input.trade_id),
        order_id: str(input.order_id),
        realized_pnl: pnl,
        new_quantity: live.open_quantity - quantity,
      },
      [rt.ref('order', str(input.order_id))],
    );
  };

  const increase = (live: PositionState, quantity: number, price: number, input: Input): void => {
    const open = live.open_quantity + quantity;
    emitPosition(
      'POSITION_INCREASED',
      live.position_id,
      {
        position_id: live.position_id,
        quantity,
        price,
        commission: num(input.commission) ?? 0,
        trade_id: str(input.trade_id),
        order_id: str(input.order_id),
        new_quantity: open,
        new_entry_price: ((live.entry_price ?? price) * live.open_quantity + price * quantity) / open,
      },
      [rt.ref('order', str(input.order_id))],
    );
  };

  const applyFill = (input: Input): void => {
    rt.require('POSITION_OPENED', input, ['position_id', 'side', 'quantity', 'price']);
    const id = String(input.position_id);
    const tradeId = str(input.trade_id);
    const live = positions.get(id);
    if (tradeId !== null && live?.trade_ids.includes(tradeId)) return; // seen: applied once
    const quantity = num(input.quantity)!;
    const price = num(input.price)!;
    const fillSide = positionSide(input.side);
    if (fillSide === undefined) {
      throw new ValidationError('POSITION_OPENED', [{ path: 'payload.side', message: `a fill side is buy or sell, got ${String(input.side)}` }]);
    }
    if (live === undefined || live.status === 'unknown') {
      open({ ...input, side: fillSide, entry_price: price });
      return;
    }
    if (live.status === 'closed') {
      throw new ValidationError('POSITION_OPENED', [
        { path: 'payload.position_id', message: `position ${id} is closed; a new position needs a new position_id` },
      ]);
    }
    const open_ = live.open_quantity;
    if (direction(fillSide) === direction(live.side)) return increase(live, quantity, price, input);
    if (quantity < open_ - EPSILON) return reduce(live, quantity, price, input);
    const commission = num(input.commission) ?? 0;
    if (quantity <= open_ + EPSILON) {
      close(live, { ...input, exit_price: price, exit_reason: input.exit_reason ?? 'manual' });
      return;
    }
    // Past zero: close this position and open the other side, commission split by quantity.
    const closingShare = commission * (open_ / quantity);
    close(live, { ...input, exit_price: price, exit_reason: input.exit_reason ?? 'reversal', commission: closingShare });
    const newId = str(input.new_position_id) ?? `${id}:${tradeId ?? rt.now()}`;
    open(
      {
        position_id: newId,
        ticker: input.ticker ?? live.ticker,
        side: fillSide,
        quantity: quantity - open_,
        entry_price: price,
        signal_id: str(input.signal_id) ?? live.signal_id,
        order_id: str(input.order_id),
        trade_id: tradeId,
        stop_loss_price: input.stop_loss_price,
        take_profit_price: input.take_profit_price,
        commission: commission - closingShare,
      },
      [rt.ref(POSITION_AGGREGATE, id)],
    );
  };

  const updatePrice = (input: Input): void => {
    const price = num(input.new_price ?? input.price);
    rt.require('POSITION_PRICE_UPDATED', { new_price: price }, ['new_price']);
    const id = str(input.position_id);
    const ticker = str(input.ticker);
    let targets: PositionState[] = [];
    if (id !== null) {
      const live = positions.get(id);
      if (live === undefined) {
        // Not opened through this plugin instance (a restart): only the caller's own P&L can be written.
        rt.require('POSITION_PRICE_UPDATED', input, ['new_unrealized_pnl']);
        emitPosition('POSITION_PRICE_UPDATED', id, { position_id: id, new_price: price, new_unrealized_pnl: num(input.new_unrealized_pnl), price_source: str(input.price_source) });
        return;
      }
      targets = [live];
    } else if (ticker !== null) {
      targets = openIn(ticker);
      // `(id, price)` called with a position id where a ticker was expected
      const byId = targets.length === 0 ? positions.get(ticker) : undefined;
      if (byId !== undefined) targets = [byId];
    } else {
      rt.require('POSITION_PRICE_UPDATED', input, ['position_id']);
    }
    for (const live of targets) {
      if (live.status !== 'open') continue;
      const last = live.current_price ?? live.entry_price;
      // Throttle at the source: only a move of more than the threshold since the last emitted price.
      if (last !== null && last !== 0 && Math.abs(price! - last) / Math.abs(last) <= priceThreshold) continue;
      emitPosition('POSITION_PRICE_UPDATED', live.position_id, {
        position_id: live.position_id,
        old_price: last,
        new_price: price,
        old_unrealized_pnl: live.unrealized_pnl ?? 0,
        new_unrealized_pnl: unrealizedAt(live, price!),
        price_source: str(input.price_source),
      });
    }
  };

  const after = (point: string, keys: readonly string[], handle: (input: Input, call: Call) => void): void => {
    ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        if (result === false) return; // the method says it did not happen
        for (const input of resolveInputs(call, result, 'after', keys)) handle(input, call);
      },
    });
  };

  after(POSITION_POINTS.open, OPEN_KEYS, (input) => open(input));
  after(POSITION_POINTS.fill, FILL_KEYS, applyFill);

  ctx.hooks.on<HookOptions<unknown> | undefined>(POSITION_POINTS.updatePrice, {
    after(call: Call, result: unknown) {
      if (result === false) return;
      const [first, second] = call.args;
      // The common `(ticker, price)` signature needs no mapper.
      const inputs =
        call.options?.map === undefined && typeof first === 'string' && typeof second === 'number'
          ? [{ ticker: first, new_price: second }]
          : resolveInputs(call, result, 'after', PRICE_KEYS);
      for (const input of inputs) updatePrice(input);
    },
  });

  const levelHook = (point: string, eventType: string, keys: readonly string[], level: 'stop_loss' | 'take_profit'): void => {
    after(point, keys, (input) => {
      const newKey = `new_${level}_price`;
      const oldKey = `old_${level}_price`;
      rt.require(eventType, input, ['position_id']);
      if (input[newKey] === undefined) rt.require(eventType, input, [newKey]);
      const id = String(input.position_id);
      const live = positions.get(id);
      const previous = live ? live[level] : num(input[oldKey]);
      const next = num(input[newKey]);
      if (live !== undefined && previous === next) return; // unchanged: a trailing stop re-set every tick
      emitPosition(eventType, id, { position_id: id, [oldKey]: previous, [newKey]: next, reason: str(input.reason) });
    });
  };
  levelHook(POSITION_POINTS.modifyStop, 'POSITION_STOP_LOSS_MODIFIED', keysOf(stopLossModified), 'stop_loss');
  levelHook(POSITION_POINTS.modifyTakeProfit, 'POSITION_TAKE_PROFIT_MODIFIED', keysOf(takeProfitModified), 'take_profit');

  const triggerHook = (point: string, eventType: string, level: 'stop_loss' | 'take_profit'): void => {
    after(point, keysOf(triggered), (input) => {
      rt.require(eventType, input, ['position_id', 'current_price']);
      const id = String(input.position_id);
      const live = positions.get(id);
      emitPosition(eventType, id, {
        position_id: id,
        trigger_price: num(input.trigger_price) ?? (live ? live[level] : null),
        current_price: num(input.current_price),
      });
    });
  };
  triggerHook(POSITION_POINTS.triggerStop, 'STOP_LOSS_TRIGGERED', 'stop_loss');
  triggerHook(POSITION_POINTS.triggerTakeProfit, 'TAKE_PROFIT_TRIGGERED', 'take_profit');

  after(POSITION_POINTS.close, CLOSE_KEYS, (input) => {
    rt.require('POSITION_CLOSED', input, ['position_id', 'exit_price']);
    const id = String(input.position_id);
    const live = positions.get(id);
    if (live === undefined || live.status === 'unknown') {
      // Not known to this plugin instance: the caller's figures are all there is.
      rt.require('POSITION_CLOSED', input, ['exit_reason', 'realized_pnl', 'hold_duration_seconds']);
      emitPosition('POSITION_CLOSED', id, { ...input, exit_reason: lower(input.exit_reason) });
      return;
    }
    if (live.status === 'closed') {
      throw new ValidationError('POSITION_CLOSED', [{ path: 'payload.position_id', message: `position ${id} is already closed` }]);
    }
    const quantity = num(input.quantity);
    if (quantity !== null && quantity < live.open_quantity - EPSILON) {
      reduce(live, quantity, num(input.exit_price)!, input);
      return;
    }
    close(live, input);
  });

  return rt;
}
