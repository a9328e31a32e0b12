import type { EventRecord, StoredEvent } from '../../src-core/events/types';
import { isCorruptEvent } from '../../src-core/events/types';
import type { PnlMarker, PnlSeries } from '../shared/api';

/**
 * A position's price and unrealized P&L over time, read straight from its events (the seed's
 * payload keys), so it works on any file, with or without the position plugin loaded.
 * Stop and take-profit levels are carried forward so the chart can draw them as steps.
 */
function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function fmt(value: number | null): string {
  return value === null ? '?' : String(Math.round(value * 10_000) / 10_000);
}

export function buildPnlSeries(positionId: string, records: readonly EventRecord[]): PnlSeries {
  const series: PnlSeries = {
    positionId,
    ticker: null,
    side: null,
    entryPrice: null,
    status: 'unknown',
    exitReason: null,
    realizedPnl: null,
    correlationId: null,
    points: [],
    markers: [],
    corrupt: 0,
  };
  let stopLoss: number | null = null;
  let takeProfit: number | null = null;
  let price: number | null = null;
  let pnl: number | null = null;

  const point = (e: StoredEvent): void => {
    series.points.push({ t: e.created_at, sequence: e.sequence_number, price, unrealizedPnl: pnl, stopLoss, takeProfit });
  };
  const marker = (e: StoredEvent, kind: PnlMarker['kind'], label: string, at: number | null): void => {
    series.markers.push({ t: e.created_at, sequence: e.sequence_number, kind, label, price: at, eventId: e.event_id });
  };

  for (const record of records) {
    if (isCorruptEvent(record)) {
      series.corrupt += 1;
      continue;
    }
    const p = record.payload;
    series.correlationId ??= str(record.metadata.correlation_id);
    switch (record.event_type) {
      case 'POSITION_OPENED': {
        series.ticker = str(p.ticker) ?? series.ticker;
        series.side = str(p.side) ?? series.side;
        series.entryPrice = num(p.entry_price);
        series.status = 'open';
        price = series.entryPrice;
        pnl = 0;
        stopLoss = num(p.stop_loss_price);
        takeProfit = num(p.take_profit_price);
        point(record);
        marker(record, 'opened', `opened ${series.side ?? ''} ${fmt(num(p.quantity))} @ ${fmt(price)}`.trim(), price);
        break;
      }
      case 'POSITION_PRICE_UPDATED': {
        price = num(p.new_price) ?? price;
        pnl = num(p.new_unrealized_pnl) ?? pnl;
        point(record);
        break;
      }
      case 'POSITION_STOP_LOSS_MODIFIED': {
        const before = stopLoss;
        stopLoss = num(p.new_stop_loss_price);
        point(record);
        marker(record, 'stop_moved', `stop ${fmt(before)} → ${fmt(stopLoss)}`, stopLoss);
        break;
      }
      case 'POSITION_TAKE_PROFIT_MODIFIED': {
        const before = takeProfit;
        takeProfit = num(p.new_take_profit_price);
        point(record);
        marker(record, 'take_profit_moved', `target ${fmt(before)} → ${fmt(takeProfit)}`, takeProfit);
        break;
      }
      case 'STOP_LOSS_TRIGGERED': {
        price = num(p.current_price) ?? price;
        point(record);
        marker(record, 'stop_triggered', `stop hit at ${fmt(num(p.current_price))} (stop ${fmt(num(p.trigger_price))})`, price);
        break;
      }
      case 'TAKE_PROFIT_TRIGGERED': {
        price = num(p.current_price) ?? price;
        point(record);
        marker(record, 'take_profit_triggered', `target hit at ${fmt(num(p.current_price))} (target ${fmt(num(p.trigger_price))})`, price);
        break;
      }
      case 'POSITION_CLOSED': {
        series.status = 'closed';
        series.exitReason = str(p.exit_reason);
        series.realizedPnl = num(p.realized_pnl);
        series.ticker ??= str(p.ticker);
        series.side ??= str(p.side);
        series.entryPrice ??= num(p.entry_price);
        price = num(p.exit_price) ?? price;
        // Once closed nothing is unrealized any more: the P&L line ends (realized is a separate number).
        pnl = null;
        point(record);
        marker(
          record,
          'closed',
          `closed (${series.exitReason ?? 'unknown'}) @ ${fmt(price)}, realized ${fmt(series.realizedPnl)}`,
          price,
        );
        break;
      }
      default: {
        // Position-changing events a plugin adds (scale in / out) may carry a price; keep the line going.
        const fill = num(p.price) ?? num(p.fill_price) ?? num(p.filled_price);
        if (fill !== null) {
          price = fill;
          point(record);
        }
      }
    }
  }
  return series;
}
