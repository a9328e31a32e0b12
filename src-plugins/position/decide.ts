/**
 * What the position plugin emits for a hooked call: pure functions of the call's input, the
 * position's live state and the time, unit-tested without SQLite. They compute what the
 * bot need not pass: old prices, unrealized and realized P&L, old stop / take-profit, hold
 * duration. A missing key or an impossible move throws the ValidationError the bot sees.
 */
import { ValidationError, type ChainRef } from '../../src-core';
import { lower, pick, requireKeys, type Input } from '../shared/input';
import { keysOf, ref, type Decision } from '../shared/plugin-runtime';
import { EPSILON, num, str } from '../shared/reduce-helpers';
import { POSITION_AGGREGATE, positionClosed, positionOpened, type PositionEventType } from './events';
import { direction, realizedOn, unrealizedAt, type PositionState } from './reducer';

export type PositionDecision = Decision<PositionEventType>;
type Links = readonly (ChainRef | null)[];

export const OPEN_KEYS = [...keysOf(positionOpened), 'commission'];
export const CLOSE_KEYS = [...keysOf(positionClosed), 'realized_pnl', 'hold_duration_seconds'];

/** An event on the position's own chain (plus `links`). */
function onPosition(
  eventType: PositionEventType,
  positionId: string,
  payload: Input,
  links: Links = [],
  createdAt?: number,
): PositionDecision {
  const decision: PositionDecision = {
    eventType,
    aggregateId: positionId,
    payload,
    follow: [ref(POSITION_AGGREGATE, positionId), ...links],
  };
  return createdAt === undefined ? decision : { ...decision, createdAt };
}

/** 'long' / 'short' from a position side or a fill side. */
export function positionSide(side: unknown): 'long' | 'short' | undefined {
  const s = lower(side);
  if (s === 'long' || s === 'buy' || s === 'cover') return 'long';
  if (s === 'short' || s === 'sell') return 'short';
  return undefined;
}

/** POSITION_OPENED: continues the chain of the order (or signal) it came from. */
export function decideOpen(input: Input, links: Links = []): PositionDecision {
  requireKeys('POSITION_OPENED', input, ['position_id', 'ticker', 'side', 'quantity', 'entry_price']);
  const quantity = num(input.quantity)!;
  const entry = num(input.entry_price)!;
  return onPosition(
    'POSITION_OPENED',
    String(input.position_id),
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
    [...links, ref('order', str(input.order_id)), ref('signal', str(input.signal_id))],
  );
}

/** POSITION_CLOSED of the whole open quantity, its realized P&L the position's total. */
function decideClose(live: PositionState, input: Input, now: number): PositionDecision {
  const exitPrice = num(input.exit_price)!;
  const commission = num(input.commission) ?? 0;
  const { pnl } = realizedOn(live, live.open_quantity, exitPrice, commission);
  const realized = num(input.realized_pnl) ?? live.realized_pnl + pnl;
  return onPosition(
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
      hold_duration_seconds: (now - (live.opened_at ?? now)) / 1000,
      return_pct: live.entry_cost_total > 0 ? (realized / live.entry_cost_total) * 100 : null,
      commission,
      trade_id: str(input.trade_id),
      order_id: str(input.order_id),
    },
    [ref('order', str(input.order_id))],
    now,
  );
}

/** POSITION_REDUCED by `quantity` (less than what is open). */
function decideReduce(live: PositionState, quantity: number, price: number, input: Input): PositionDecision {
  const commission = num(input.commission) ?? 0;
  const { pnl } = realizedOn(live, quantity, price, commission);
  return onPosition(
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
    [ref('order', str(input.order_id))],
  );
}

function decideIncrease(live: PositionState, quantity: number, price: number, input: Input): PositionDecision {
  const open = live.open_quantity + quantity;
  return onPosition(
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
    [ref('order', str(input.order_id))],
  );
}

/**
 * A fill: opens the position, increases it (same direction), reduces or closes it
 * (opposite), or past zero closes it and opens the other side on a new id, the commission
 * split by quantity. Nothing for a trade_id applied before.
 */
export function decideFill(input: Input, live: PositionState | undefined, now: number): PositionDecision[] {
  requireKeys('POSITION_OPENED', input, ['position_id', 'side', 'quantity', 'price']);
  const id = String(input.position_id);
  const tradeId = str(input.trade_id);
  if (tradeId !== null && live?.trade_ids.includes(tradeId)) return []; // seen: applied once
  const quantity = num(input.quantity)!;
  const price = num(input.price)!;
  const fillSide = positionSide(input.side);
  if (fillSide === undefined) {
    throw new ValidationError('POSITION_OPENED', [
      { path: 'payload.side', message: `a fill side is buy or sell, got ${String(input.side)}` },
    ]);
  }
  if (live === undefined || live.status === 'unknown') return [decideOpen({ ...input, side: fillSide, entry_price: price })];
  if (live.status === 'closed') {
    throw new ValidationError('POSITION_OPENED', [
      { path: 'payload.position_id', message: `position ${id} is closed; a new position needs a new position_id` },
    ]);
  }
  const open = live.open_quantity;
  if (direction(fillSide) === direction(live.side)) return [decideIncrease(live, quantity, price, input)];
  if (quantity < open - EPSILON) return [decideReduce(live, quantity, price, input)];
  const commission = num(input.commission) ?? 0;
  if (quantity <= open + EPSILON)
    return [decideClose(live, { ...input, exit_price: price, exit_reason: input.exit_reason ?? 'manual' }, now)];
  // Past zero: close this position and open the other side, commission split by quantity.
  const closingShare = commission * (open / quantity);
  const close = decideClose(
    live,
    { ...input, exit_price: price, exit_reason: input.exit_reason ?? 'reversal', commission: closingShare },
    now,
  );
  const newId = str(input.new_position_id) ?? `${id}:${tradeId ?? now}`;
  const opened = decideOpen(
    {
      position_id: newId,
      ticker: input.ticker ?? live.ticker,
      side: fillSide,
      quantity: quantity - open,
      entry_price: price,
      signal_id: str(input.signal_id) ?? live.signal_id,
      order_id: str(input.order_id),
      trade_id: tradeId,
      stop_loss_price: input.stop_loss_price,
      take_profit_price: input.take_profit_price,
      commission: commission - closingShare,
    },
    [ref(POSITION_AGGREGATE, id)],
  );
  return [close, opened];
}

/** The price of a price-update input (`new_price`, else `price`); throws when there is none. */
export function priceOf(input: Input): number {
  const price = num(input.new_price ?? input.price);
  requireKeys('POSITION_PRICE_UPDATED', { new_price: price }, ['new_price']);
  return price!;
}

/** A price update for a position this plugin instance has no state for: only the caller's own P&L can be written. */
export function decideUnknownPriceUpdate(id: string, price: number, input: Input): PositionDecision {
  requireKeys('POSITION_PRICE_UPDATED', input, ['new_unrealized_pnl']);
  return onPosition('POSITION_PRICE_UPDATED', id, {
    position_id: id,
    new_price: price,
    new_unrealized_pnl: num(input.new_unrealized_pnl),
    price_source: str(input.price_source),
  });
}

/** POSITION_PRICE_UPDATED when the price moved more than `threshold` (a fraction) since the last emitted price. */
export function decidePriceUpdate(live: PositionState, price: number, input: Input, threshold: number): PositionDecision | null {
  if (live.status !== 'open') return null;
  const last = live.current_price ?? live.entry_price;
  // Throttle at the source: only a move of more than the threshold since the last emitted price.
  if (last !== null && last !== 0 && Math.abs(price - last) / Math.abs(last) <= threshold) return null;
  return onPosition('POSITION_PRICE_UPDATED', live.position_id, {
    position_id: live.position_id,
    old_price: last,
    new_price: price,
    old_unrealized_pnl: live.unrealized_pnl ?? 0,
    new_unrealized_pnl: unrealizedAt(live, price),
    price_source: str(input.price_source),
  });
}

export type Level = 'stop_loss' | 'take_profit';

/** A stop-loss or take-profit change; nothing when the level is unchanged (a trailing stop re-set every tick). */
export function decideLevelChange(
  eventType: PositionEventType,
  level: Level,
  input: Input,
  live: PositionState | undefined,
): PositionDecision | null {
  const newKey = `new_${level}_price`;
  const oldKey = `old_${level}_price`;
  requireKeys(eventType, input, ['position_id']);
  if (input[newKey] === undefined) requireKeys(eventType, input, [newKey]);
  const id = String(input.position_id);
  const previous = live ? live[level] : num(input[oldKey]);
  const next = num(input[newKey]);
  if (live !== undefined && previous === next) return null;
  return onPosition(eventType, id, { position_id: id, [oldKey]: previous, [newKey]: next, reason: str(input.reason) });
}

/** STOP_LOSS_TRIGGERED / TAKE_PROFIT_TRIGGERED; the trigger price defaults to the position's level. */
export function decideTrigger(eventType: PositionEventType, level: Level, input: Input, live: PositionState | undefined): PositionDecision {
  requireKeys(eventType, input, ['position_id', 'current_price']);
  const id = String(input.position_id);
  return onPosition(eventType, id, {
    position_id: id,
    trigger_price: num(input.trigger_price) ?? (live ? live[level] : null),
    current_price: num(input.current_price),
  });
}

/** An explicit close: of what is open, or a reduction when a smaller quantity is given; the caller's figures for a position unknown here. */
export function decideCloseCall(input: Input, live: PositionState | undefined, now: number): PositionDecision {
  requireKeys('POSITION_CLOSED', input, ['position_id', 'exit_price']);
  const id = String(input.position_id);
  if (live === undefined || live.status === 'unknown') {
    // Not known to this plugin instance: the caller's figures are all there is.
    requireKeys('POSITION_CLOSED', input, ['exit_reason', 'realized_pnl', 'hold_duration_seconds']);
    return onPosition('POSITION_CLOSED', id, { ...input, exit_reason: lower(input.exit_reason) });
  }
  if (live.status === 'closed') {
    throw new ValidationError('POSITION_CLOSED', [{ path: 'payload.position_id', message: `position ${id} is already closed` }]);
  }
  const quantity = num(input.quantity);
  if (quantity !== null && quantity < live.open_quantity - EPSILON) return decideReduce(live, quantity, num(input.exit_price)!, input);
  return decideClose(live, input, now);
}
