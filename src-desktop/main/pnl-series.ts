import type { EventRecord } from '../../src-core';
import { isCorruptEvent } from '../../src-core';
import { clean, formatNumber, formatQuantity, positionPnl } from '../../src-plugins/analytics';
import type { PnlMarker, PnlPoint, PnlSeries } from '../shared/api';

/**
 * A position's P&L page: the analytics module's positionPnl (the position reducer's
 * accounting: weighted entry over scale-ins, realized over partial exits, the unrealized line
 * through the exit fill), so its figures equal `show position --json`. This only shapes it
 * for the chart: stop and target levels carried forward as steps, one point per event that
 * moved the price or a level.
 */
function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A price for people: two decimals, four where the tick needs them (0.9927, 3.3036). */
function formatPrice(value: number | null): string {
  if (value === null) return '–';
  const decimals = Number.isInteger(clean(value * 100)) ? 2 : 4;
  return formatNumber(value, { decimals });
}

/** `asOf`: where an open position's hold time runs to (the log's last event). */
export function buildPnlSeries(positionId: string, records: readonly EventRecord[], asOf?: number): PnlSeries {
  const pnl = positionPnl(positionId, records, asOf === undefined ? {} : { asOf });
  const sequenceOf = new Map<number, number>();
  let correlationId: string | null = null;
  for (const r of records) {
    if (isCorruptEvent(r)) continue;
    sequenceOf.set(r.position, r.sequence_number);
    correlationId ??= str(r.metadata.correlation_id);
  }
  const { points: pnlPoints, markers: pnlMarkers, ...figures } = pnl;

  // Merge the P&L points with the level changes and triggers, in log order.
  type Item = { position: number; point?: (typeof pnlPoints)[number]; marker?: (typeof pnlMarkers)[number] };
  const items: Item[] = [
    ...pnlPoints.map((point) => ({ position: point.position, point })),
    ...pnlMarkers.map((marker) => ({ position: marker.position, marker })),
  ];
  items.sort((a, b) => a.position - b.position || (a.point ? -1 : 1));

  const points: PnlPoint[] = [];
  const markers: PnlMarker[] = [];
  let price: number | null = null;
  let unrealized: number | null = null;
  let stopLoss: number | null = null;
  let takeProfit: number | null = null;
  for (const item of items) {
    const t = Date.parse((item.point ?? item.marker)!.at);
    const sequence = sequenceOf.get(item.position) ?? 0;
    if (item.point) {
      const p = item.point;
      price = p.price ?? price;
      unrealized = p.unrealized_pnl;
      stopLoss = p.stop_loss;
      takeProfit = p.take_profit;
      points.push({ t, sequence, price, unrealizedPnl: unrealized, stopLoss, takeProfit });
      continue;
    }
    const m = item.marker!;
    let label: string;
    switch (m.kind) {
      case 'stop_moved':
        label = `${formatPrice(stopLoss)} → ${formatPrice(m.price)}`;
        stopLoss = m.price;
        break;
      case 'take_profit_moved':
        label = `${formatPrice(takeProfit)} → ${formatPrice(m.price)}`;
        takeProfit = m.price;
        break;
      case 'stop_triggered':
        label = `at ${formatPrice(m.price)} (stop ${formatPrice(stopLoss)})`;
        price = m.price ?? price;
        break;
      case 'take_profit_triggered':
        label = `at ${formatPrice(m.price)} (target ${formatPrice(takeProfit)})`;
        price = m.price ?? price;
        break;
      case 'opened':
      case 'increased':
      case 'reduced':
      case 'closed':
        label = `${formatQuantity(m.quantity)} @ ${formatPrice(m.price)}`;
        break;
    }
    markers.push({ t, sequence, kind: m.kind, label, price: m.price, eventId: m.event_id });
    // Fills already have their point; a level change or trigger adds one so the steps show.
    if (m.kind === 'stop_moved' || m.kind === 'take_profit_moved' || m.kind === 'stop_triggered' || m.kind === 'take_profit_triggered') {
      points.push({ t, sequence, price, unrealizedPnl: unrealized, stopLoss, takeProfit });
    }
  }
  if (!pnl.found) {
    // Events of a position whose opening is not in this log (a partial file): the prices and
    // P&L as the writer recorded them, without figures the ledger cannot vouch for.
    for (const r of records) {
      if (isCorruptEvent(r) || r.event_type !== 'POSITION_PRICE_UPDATED') continue;
      const price = typeof r.payload.new_price === 'number' ? r.payload.new_price : null;
      const recorded = typeof r.payload.new_unrealized_pnl === 'number' ? r.payload.new_unrealized_pnl : null;
      points.push({ t: r.created_at, sequence: r.sequence_number, price, unrealizedPnl: recorded, stopLoss: null, takeProfit: null });
    }
  }
  return {
    positionId,
    ticker: pnl.ticker,
    side: pnl.side,
    entryPrice: pnl.entry_price,
    status: pnl.status,
    exitReason: pnl.exit_reason,
    realizedPnl: pnl.found ? pnl.realized_pnl : null,
    correlationId,
    points,
    markers,
    corrupt: pnl.corrupt,
    pnl: figures,
    // The log holds events of it (the figures need its opening: pnl.found).
    found: records.length > 0,
  };
}
