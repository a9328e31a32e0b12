/**
 * One position's P&L over time, from its events, with the position reducer's accounting
 * (the ledger): entry is the weighted average of every entry fill, realized counts partial
 * exits and the close, and the unrealized line covers scale-ins, partial exits and the exit
 * fill (a fill is marked at its own price on the quantity it finds). Entry, exit, realized,
 * status and hold time equal `show position --json` (the reducer's entry_price, exit_price,
 * realized_pnl, status and hold_duration_seconds).
 */
import { isCorruptEvent, type EventRecord, type StoredEvent } from '../../src-core';
import { PositionLedger } from './ledger';
import type { PnlMarker, PnlPoint, PositionPnl } from './types';
import { iso, isoOrNull, num } from './values';

export interface PositionPnlOptions {
  /** The cut-off an open position's hold time runs to (the log's last event time). Default: the position's last event. */
  asOf?: number;
}

export function positionPnl(positionId: string, records: Iterable<EventRecord>, options: PositionPnlOptions = {}): PositionPnl {
  const ledger = new PositionLedger(() => null);
  const points: PnlPoint[] = [];
  const markers: PnlMarker[] = [];
  let corrupt = 0;
  let last: number | null = null;
  let best: number | null = null;
  let worst: number | null = null;

  const point = (e: StoredEvent, price: number | null, unrealized: number): void => {
    const p = ledger.positions.get(positionId)!;
    points.push({
      at: iso(e.created_at),
      position: e.position,
      event_type: e.event_type,
      price,
      quantity: p.openQty,
      unrealized_pnl: unrealized,
      realized_pnl: p.realized,
      stop_loss: p.stopLoss,
      take_profit: p.takeProfit,
    });
    if (best === null || unrealized > best) best = unrealized;
    if (worst === null || unrealized < worst) worst = unrealized;
  };
  const marker = (e: StoredEvent, kind: PnlMarker['kind'], price: number | null, quantity: number | null): void => {
    markers.push({ at: iso(e.created_at), position: e.position, event_id: e.event_id, kind, price, quantity });
  };

  for (const record of records) {
    if (record.aggregate_id !== positionId || record.aggregate_type !== 'position') continue;
    if (isCorruptEvent(record)) {
      corrupt += 1;
      continue;
    }
    const e = record;
    last = e.created_at;
    const before = ledger.positions.get(positionId);
    const stopBefore = before?.stopLoss ?? null;
    const targetBefore = before?.takeProfit ?? null;
    const change = ledger.apply(e);
    const p = ledger.positions.get(positionId);
    if (!p) continue;
    switch (e.event_type) {
      case 'POSITION_OPENED':
      case 'POSITION_INCREASED':
      case 'POSITION_REDUCED':
      case 'POSITION_CLOSED': {
        if (!change?.fill) break;
        const kind = (
          { POSITION_OPENED: 'opened', POSITION_INCREASED: 'increased', POSITION_REDUCED: 'reduced', POSITION_CLOSED: 'closed' } as const
        )[e.event_type];
        point(e, change.fill.price, change.fill.unrealizedBefore);
        marker(e, kind, change.fill.price, change.fill.quantity);
        break;
      }
      case 'POSITION_PRICE_UPDATED':
        if (change) point(e, p.mark, p.unrealized);
        break;
      case 'POSITION_STOP_LOSS_MODIFIED':
        if (p.status === 'open' && p.stopLoss !== stopBefore) marker(e, 'stop_moved', p.stopLoss, null);
        break;
      case 'POSITION_TAKE_PROFIT_MODIFIED':
        if (p.status === 'open' && p.takeProfit !== targetBefore) marker(e, 'take_profit_moved', p.takeProfit, null);
        break;
      case 'STOP_LOSS_TRIGGERED':
      case 'TAKE_PROFIT_TRIGGERED':
        if (p.status === 'open') {
          marker(
            e,
            e.event_type === 'STOP_LOSS_TRIGGERED' ? 'stop_triggered' : 'take_profit_triggered',
            num(e.payload.current_price),
            null,
          );
        }
        break;
      default:
        break;
    }
  }

  const p = ledger.positions.get(positionId);
  if (!p) {
    return {
      position_id: positionId,
      found: false,
      ticker: null,
      side: null,
      status: 'unknown',
      entry_price: null,
      exit_price: null,
      avg_exit_price: null,
      realized_pnl: 0,
      unrealized_pnl: null,
      best_unrealized_pnl: null,
      worst_unrealized_pnl: null,
      hold_seconds: null,
      opened_at: null,
      closed_at: null,
      exit_reason: null,
      peak_quantity: 0,
      open_quantity: 0,
      fees: 0,
      points,
      markers,
      corrupt,
    };
  }
  const open = p.status === 'open';
  const cutoff = options.asOf ?? last ?? p.openedAt;
  return {
    position_id: positionId,
    found: true,
    ticker: p.ticker,
    side: p.side,
    status: p.status,
    entry_price: p.entry,
    exit_price: p.exitPrice,
    avg_exit_price: p.exitQty > 0 ? p.exitValue / p.exitQty : null,
    realized_pnl: p.realized,
    unrealized_pnl: open ? p.unrealized : null,
    best_unrealized_pnl: best,
    worst_unrealized_pnl: worst,
    hold_seconds: open ? Math.max(0, (cutoff - p.openedAt) / 1000) : p.holdSeconds,
    opened_at: iso(p.openedAt),
    closed_at: isoOrNull(p.closedAt),
    exit_reason: p.exitReason,
    peak_quantity: p.peakQty,
    open_quantity: p.openQty,
    fees: p.fees,
    points,
    markers,
    corrupt,
  };
}
