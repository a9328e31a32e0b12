// Deliberately independent of src-plugins/position/reducer.ts: the end-of-run verification compares this live accounting with the log's rebuild.
import type { ExitReason, PositionSide } from './types';

/**
 * Position accounting, the way the event catalogue defines it: weighted average entry;
 * P&L realized only on the quantity taken off, net of that exit's commission and of the
 * matching share of the entry commissions (carried with the open quantity, released pro
 * rata). Kept unrounded: the log and the bot must agree to the last bit, not the cent.
 */
export interface PricePoint {
  price: number;
  pnl: number;
  timestamp: number;
}

export interface LevelChange {
  old_price: number | null;
  new_price: number | null;
  reason: string | null;
  timestamp: number;
}

export interface TriggerRecord {
  type: 'stop_loss' | 'take_profit';
  trigger_price: number | null;
  current_price: number | null;
  timestamp: number;
}

export interface LedgerFill {
  action: 'open' | 'increase' | 'reduce' | 'close';
  trade_id: string | null;
  order_id: string | null;
  quantity: number;
  price: number;
  commission: number;
  realized_pnl: number;
  timestamp: number;
}

export interface PositionBook {
  position_id: string;
  ticker: string;
  side: PositionSide;
  status: 'open' | 'closed';
  /** Open quantity while open; the closed quantity after the close (the seed's reading). */
  quantity: number;
  open_quantity: number;
  entry_price: number;
  /** Last reported (marked) price. */
  current_price: number;
  unrealized_pnl: number;
  realized_pnl: number;
  cost_basis: number;
  entry_cost_total: number;
  fees: number;
  open_commission: number;
  stop_loss: number | null;
  take_profit: number | null;
  signal_id: string | null;
  order_ids: string[];
  trade_ids: string[];
  opened_at: number;
  closed_at: number | null;
  exit_price: number | null;
  exit_reason: ExitReason | null;
  hold_duration_seconds: number | null;
  return_pct: number | null;
  price_history: PricePoint[];
  stop_loss_history: LevelChange[];
  take_profit_history: LevelChange[];
  triggers: TriggerRecord[];
  fills: LedgerFill[];
}

export const dir = (side: PositionSide): 1 | -1 => (side === 'long' ? 1 : -1);

export function unrealized(book: Pick<PositionBook, 'side' | 'entry_price' | 'open_quantity'>, price: number): number {
  return (price - book.entry_price) * book.open_quantity * dir(book.side);
}

/** P&L of taking `quantity` off at `price`, and the entry commission that goes with it. */
export function realizedOn(
  book: PositionBook,
  quantity: number,
  price: number,
  commission: number,
): { pnl: number; entryCommission: number } {
  const share = book.open_quantity > 0 ? Math.min(1, quantity / book.open_quantity) : 1;
  const entryCommission = book.open_commission * share;
  return { pnl: (price - book.entry_price) * quantity * dir(book.side) - commission - entryCommission, entryCommission };
}

export interface OpenArgs {
  position_id: string;
  ticker: string;
  side: PositionSide;
  quantity: number;
  price: number;
  commission: number;
  trade_id: string;
  order_id: string;
  signal_id: string | null;
  stop_loss: number | null;
  take_profit: number | null;
  at: number;
}

export function openBook(a: OpenArgs): PositionBook {
  const level = (price: number | null): LevelChange[] =>
    price === null ? [] : [{ old_price: null, new_price: price, reason: 'initial', timestamp: a.at }];
  return {
    position_id: a.position_id,
    ticker: a.ticker,
    side: a.side,
    status: 'open',
    quantity: a.quantity,
    open_quantity: a.quantity,
    entry_price: a.price,
    current_price: a.price,
    unrealized_pnl: 0,
    realized_pnl: 0,
    cost_basis: a.quantity * a.price,
    entry_cost_total: a.quantity * a.price,
    fees: a.commission,
    open_commission: a.commission,
    stop_loss: a.stop_loss,
    take_profit: a.take_profit,
    signal_id: a.signal_id,
    order_ids: [a.order_id],
    trade_ids: [a.trade_id],
    opened_at: a.at,
    closed_at: null,
    exit_price: null,
    exit_reason: null,
    hold_duration_seconds: null,
    return_pct: null,
    price_history: [],
    stop_loss_history: level(a.stop_loss),
    take_profit_history: level(a.take_profit),
    triggers: [],
    fills: [
      {
        action: 'open',
        trade_id: a.trade_id,
        order_id: a.order_id,
        quantity: a.quantity,
        price: a.price,
        commission: a.commission,
        realized_pnl: 0,
        timestamp: a.at,
      },
    ],
  };
}

export interface FillArgs {
  quantity: number;
  price: number;
  commission: number;
  trade_id: string;
  order_id: string;
  at: number;
}

function noteIds(b: PositionBook, f: FillArgs): void {
  b.trade_ids.push(f.trade_id);
  if (!b.order_ids.includes(f.order_id)) b.order_ids.push(f.order_id);
}

export function increase(b: PositionBook, f: FillArgs): void {
  const open = b.open_quantity + f.quantity;
  b.entry_price = (b.entry_price * b.open_quantity + f.price * f.quantity) / open;
  noteIds(b, f);
  b.quantity = open;
  b.open_quantity = open;
  b.cost_basis = open * b.entry_price;
  b.entry_cost_total += f.quantity * f.price;
  b.fees += f.commission;
  b.open_commission += f.commission;
  b.fills.push({
    action: 'increase',
    trade_id: f.trade_id,
    order_id: f.order_id,
    quantity: f.quantity,
    price: f.price,
    commission: f.commission,
    realized_pnl: 0,
    timestamp: f.at,
  });
  b.unrealized_pnl = unrealized(b, b.current_price);
}

/** Takes part of the position off (never all of it: that is `close`). */
export function reduce(b: PositionBook, f: FillArgs): void {
  const { pnl, entryCommission } = realizedOn(b, f.quantity, f.price, f.commission);
  noteIds(b, f);
  b.open_quantity -= f.quantity;
  b.quantity = b.open_quantity;
  b.cost_basis = b.open_quantity * b.entry_price;
  b.realized_pnl += pnl;
  b.fees += f.commission;
  b.open_commission -= entryCommission;
  b.fills.push({
    action: 'reduce',
    trade_id: f.trade_id,
    order_id: f.order_id,
    quantity: f.quantity,
    price: f.price,
    commission: f.commission,
    realized_pnl: pnl,
    timestamp: f.at,
  });
  b.unrealized_pnl = unrealized(b, b.current_price);
}

/** Closes what is open at the exit price. `current_price` and `unrealized_pnl` keep their last marks. */
export function close(b: PositionBook, f: FillArgs, reason: ExitReason): void {
  const closed = b.open_quantity;
  const { pnl } = realizedOn(b, closed, f.price, f.commission);
  const realized = b.realized_pnl + pnl;
  noteIds(b, f);
  b.status = 'closed';
  b.exit_price = f.price;
  b.exit_reason = reason;
  b.hold_duration_seconds = (f.at - b.opened_at) / 1000;
  b.closed_at = f.at;
  b.return_pct = b.entry_cost_total > 0 ? (realized / b.entry_cost_total) * 100 : null;
  b.fills.push({
    action: 'close',
    trade_id: f.trade_id,
    order_id: f.order_id,
    quantity: closed,
    price: f.price,
    commission: f.commission,
    realized_pnl: realized - b.realized_pnl,
    timestamp: f.at,
  });
  b.realized_pnl = realized;
  b.open_quantity = 0;
  b.cost_basis = 0;
  b.fees += f.commission;
  b.open_commission = 0;
}

export function mark(b: PositionBook, price: number, at: number): void {
  b.current_price = price;
  b.unrealized_pnl = unrealized(b, price);
  b.price_history.push({ price, pnl: b.unrealized_pnl, timestamp: at });
}

export function moveStop(b: PositionBook, price: number, reason: string, at: number): void {
  b.stop_loss_history.push({ old_price: b.stop_loss, new_price: price, reason, timestamp: at });
  b.stop_loss = price;
}

export function moveTarget(b: PositionBook, price: number, reason: string, at: number): void {
  b.take_profit_history.push({ old_price: b.take_profit, new_price: price, reason, timestamp: at });
  b.take_profit = price;
}

export function noteTrigger(b: PositionBook, type: TriggerRecord['type'], trigger: number, current: number, at: number): void {
  b.triggers.push({ type, trigger_price: trigger, current_price: current, timestamp: at });
}
