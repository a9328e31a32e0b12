/**
 * Position accounting over the global stream: the position reducer's arithmetic (its own
 * exported `realizedOn` / `unrealizedAt`, so the figures are the same numbers), kept in one
 * mutable record per position so a fold costs O(1) per event and holds no history. The
 * reducer's state keeps (bounded) histories; analytics reads the events instead.
 *
 * Guards mirror the reducer's: an event the reducer would record as an anomaly (a fill on a
 * closed position, a trade id seen twice, an invalid price) changes nothing here either.
 */
import type { StoredEvent } from '../../src-core';
import { direction, realizedOn, unrealizedAt } from '../position';
import { EPSILON, num, str } from './values';

export interface LedgerPosition {
  id: string;
  ticker: string | null;
  side: string | null;
  dir: 1 | -1;
  status: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
  openQty: number;
  /** Weighted average entry (the reducer's entry_price). */
  entry: number;
  openCommission: number;
  /** Net realized (the reducer's realized_pnl). */
  realized: number;
  /** Commissions paid, all of them. */
  fees: number;
  /** Commissions already charged to `realized`. */
  feesRealized: number;
  entryCost: number;
  exitQty: number;
  exitValue: number;
  peakQty: number;
  mark: number | null;
  markAt: number | null;
  /** Global position of the event that set the mark. */
  markPosition: number;
  /** Unrealized at the mark, as last computed. */
  unrealized: number;
  exitPrice: number | null;
  exitReason: string | null;
  holdSeconds: number | null;
  returnPct: number | null;
  signalId: string | null;
  runId: string | null;
  stopLoss: number | null;
  takeProfit: number | null;
  /** Trade ids applied (the reducer applies each once); dropped at the close. */
  tradeIds: Set<string> | null;
  /** Global position of the event that closed it (close order for the realized curve). */
  closePosition: number | null;
  closeEventId: string | null;
}

/** What one event did to the book's P&L, for the equity curve and drawdowns. */
export interface LedgerChange {
  position: LedgerPosition;
  /** Change of net realized P&L. */
  realized: number;
  /** Change of unrealized P&L. */
  unrealized: number;
  /** Set when the event closed the position. */
  closed: boolean;
  /** Set when the event was a fill: its price and quantity (reported before the fill was applied). */
  fill: { price: number; quantity: number; unrealizedBefore: number } | null;
}

export type RunIdOf = (event: StoredEvent, positionId: string) => string | null;

/**
 * A run id: the event's `metadata.run_id` when the writer recorded one; else the paper
 * bot's id convention (`<run>-pos-0001`); else null.
 */
export const defaultRunIdOf: RunIdOf = (event, positionId) => {
  const meta = str(event.metadata.run_id);
  if (meta) return meta;
  const m = /^(.+)-pos-[^-]+$/.exec(positionId);
  return m ? m[1]! : null;
};

const POSITION_TYPES = new Set([
  'POSITION_OPENED',
  'POSITION_INCREASED',
  'POSITION_REDUCED',
  'POSITION_CLOSED',
  'POSITION_PRICE_UPDATED',
  'POSITION_STOP_LOSS_MODIFIED',
  'POSITION_TAKE_PROFIT_MODIFIED',
]);

export class PositionLedger {
  readonly positions = new Map<string, LedgerPosition>();

  constructor(private readonly runIdOf: RunIdOf = defaultRunIdOf) {}

  static handles(eventType: string): boolean {
    return POSITION_TYPES.has(eventType);
  }

  apply(event: StoredEvent): LedgerChange | null {
    if (event.aggregate_type !== 'position') return null;
    switch (event.event_type) {
      case 'POSITION_OPENED':
        return this.opened(event);
      case 'POSITION_INCREASED':
        return this.increased(event);
      case 'POSITION_REDUCED':
        return this.reduced(event);
      case 'POSITION_CLOSED':
        return this.closed(event);
      case 'POSITION_PRICE_UPDATED':
        return this.marked(event);
      case 'POSITION_STOP_LOSS_MODIFIED': {
        const p = this.open(event);
        if (p) p.stopLoss = num(event.payload.new_stop_loss_price);
        return null;
      }
      case 'POSITION_TAKE_PROFIT_MODIFIED': {
        const p = this.open(event);
        if (p) p.takeProfit = num(event.payload.new_take_profit_price);
        return null;
      }
      default:
        return null;
    }
  }

  private open(event: StoredEvent): LedgerPosition | null {
    const p = this.positions.get(event.aggregate_id);
    return p && p.status === 'open' ? p : null;
  }

  private opened(event: StoredEvent): LedgerChange | null {
    if (this.positions.has(event.aggregate_id)) return null;
    const pl = event.payload;
    const quantity = num(pl.quantity);
    const entry = num(pl.entry_price);
    if (quantity === null || entry === null || quantity <= 0) return null;
    const commission = num(pl.commission) ?? 0;
    const side = str(pl.side);
    const tradeId = str(pl.trade_id);
    const position: LedgerPosition = {
      id: event.aggregate_id,
      ticker: str(pl.ticker),
      side,
      dir: direction(side),
      status: 'open',
      openedAt: event.created_at,
      closedAt: null,
      openQty: quantity,
      entry,
      openCommission: commission,
      realized: 0,
      fees: commission,
      feesRealized: 0,
      entryCost: quantity * entry,
      exitQty: 0,
      exitValue: 0,
      peakQty: quantity,
      mark: entry,
      markAt: event.created_at,
      markPosition: event.position,
      unrealized: 0,
      exitPrice: null,
      exitReason: null,
      holdSeconds: null,
      returnPct: null,
      signalId: str(pl.signal_id),
      runId: this.runIdOf(event, event.aggregate_id),
      stopLoss: num(pl.stop_loss_price),
      takeProfit: num(pl.take_profit_price),
      tradeIds: new Set(tradeId === null ? [] : [tradeId]),
      closePosition: null,
      closeEventId: null,
    };
    this.positions.set(position.id, position);
    return { position, realized: 0, unrealized: 0, closed: false, fill: { price: entry, quantity, unrealizedBefore: 0 } };
  }

  /** The reducer's fill guard: open, a new trade id, a positive quantity and a price. */
  private fill(event: StoredEvent): { p: LedgerPosition; quantity: number; price: number; commission: number } | null {
    const p = this.open(event);
    if (!p) return null;
    const pl = event.payload;
    const tradeId = str(pl.trade_id);
    if (tradeId !== null && p.tradeIds!.has(tradeId)) return null;
    const quantity = num(pl.quantity);
    const price = num(pl.price);
    if (quantity === null || price === null || quantity <= 0) return null;
    if (tradeId !== null) p.tradeIds!.add(tradeId);
    return { p, quantity, price, commission: num(pl.commission) ?? 0 };
  }

  private increased(event: StoredEvent): LedgerChange | null {
    const f = this.fill(event);
    if (!f) return null;
    const { p, quantity, price, commission } = f;
    const before = p.unrealized;
    const unrealizedBefore = unrealizedAt({ side: p.side, entry_price: p.entry, open_quantity: p.openQty }, price);
    const open = p.openQty + quantity;
    // Same expression as the reducer, so the average is the same float.
    p.entry = (p.entry * p.openQty + price * quantity) / open;
    p.openQty = open;
    p.entryCost += quantity * price;
    p.fees += commission;
    p.openCommission += commission;
    if (open > p.peakQty) p.peakQty = open;
    // The reducer re-marks at its current price; the fill's price is the newer mark.
    p.unrealized = unrealizedAt({ side: p.side, entry_price: p.entry, open_quantity: open }, p.mark ?? price);
    this.remark(p, price, event.created_at, event.position);
    return { position: p, realized: 0, unrealized: p.unrealized - before, closed: false, fill: { price, quantity, unrealizedBefore } };
  }

  private reduced(event: StoredEvent): LedgerChange | null {
    const f = this.fill(event);
    if (!f) return null;
    const { p, price, commission } = f;
    // A reduction is never the whole position; the reducer takes what is open and flags it.
    const quantity = f.quantity >= p.openQty - EPSILON ? p.openQty : f.quantity;
    const before = p.unrealized;
    const unrealizedBefore = unrealizedAt({ side: p.side, entry_price: p.entry, open_quantity: p.openQty }, price);
    const { pnl, entryCommission } = realizedOn(
      { side: p.side, entry_price: p.entry, open_quantity: p.openQty, open_commission: p.openCommission },
      quantity,
      price,
      commission,
    );
    p.openQty -= quantity;
    p.realized += pnl;
    p.fees += commission;
    p.feesRealized += commission + entryCommission;
    p.openCommission -= entryCommission;
    p.exitQty += quantity;
    p.exitValue += quantity * price;
    this.remark(p, price, event.created_at, event.position);
    return { position: p, realized: pnl, unrealized: p.unrealized - before, closed: false, fill: { price, quantity, unrealizedBefore } };
  }

  private closed(event: StoredEvent): LedgerChange | null {
    const p = this.open(event);
    if (!p) return null;
    const pl = event.payload;
    const tradeId = str(pl.trade_id);
    if (tradeId !== null && p.tradeIds!.has(tradeId)) return null;
    const exitPrice = num(pl.exit_price);
    if (exitPrice === null) return null;
    const commission = num(pl.commission) ?? 0;
    const closedQty = p.openQty;
    const before = p.unrealized;
    const unrealizedBefore = unrealizedAt({ side: p.side, entry_price: p.entry, open_quantity: closedQty }, exitPrice);
    const { pnl } = realizedOn(
      { side: p.side, entry_price: p.entry, open_quantity: closedQty, open_commission: p.openCommission },
      closedQty,
      exitPrice,
      commission,
    );
    // The writer's own figures stand where it gives them, as in the reducer.
    const realized = num(pl.realized_pnl) ?? p.realized + pnl;
    const delta = realized - p.realized;
    p.realized = realized;
    p.fees += commission;
    p.feesRealized = p.fees;
    p.openCommission = 0;
    p.exitQty += closedQty;
    p.exitValue += closedQty * exitPrice;
    p.openQty = 0;
    p.status = 'closed';
    p.closedAt = event.created_at;
    p.exitPrice = exitPrice;
    p.exitReason = str(pl.exit_reason);
    p.holdSeconds = num(pl.hold_duration_seconds) ?? (event.created_at - p.openedAt) / 1000;
    p.returnPct = num(pl.return_pct) ?? (p.entryCost > 0 ? (realized / p.entryCost) * 100 : null);
    p.mark = exitPrice;
    p.markAt = event.created_at;
    p.markPosition = event.position;
    p.unrealized = 0;
    p.tradeIds = null;
    p.closePosition = event.position;
    p.closeEventId = event.event_id;
    return {
      position: p,
      realized: delta,
      unrealized: -before,
      closed: true,
      fill: { price: exitPrice, quantity: closedQty, unrealizedBefore },
    };
  }

  private marked(event: StoredEvent): LedgerChange | null {
    const p = this.open(event);
    if (!p) return null;
    const price = num(event.payload.new_price);
    if (price === null) return null;
    const before = p.unrealized;
    this.remark(p, price, event.created_at, event.position);
    return { position: p, realized: 0, unrealized: p.unrealized - before, closed: false, fill: null };
  }

  /**
   * Marks an open position with a price update read apart from the pass (the book reads
   * only the last one per open position); ignored unless newer than the mark it has.
   */
  markFrom(event: StoredEvent): void {
    const p = this.open(event);
    const price = num(event.payload.new_price);
    if (p && price !== null && event.position > p.markPosition) this.remark(p, price, event.created_at, event.position);
  }

  private remark(p: LedgerPosition, price: number, at: number, position: number): void {
    p.mark = price;
    p.markAt = at;
    p.markPosition = position;
    p.unrealized = unrealizedAt({ side: p.side, entry_price: p.entry, open_quantity: p.openQty }, price);
  }
}
