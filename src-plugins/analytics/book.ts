/**
 * The book as of a time: what was open, working and at risk at that instant, read off a
 * fold that stopped there (one pass up to the instant; no per-aggregate rebuilds).
 */
import type { AnalyticsFold } from './fold';
import type { Book, BookPosition, WorkingOrder } from './types';
import { EPSILON, iso, isoOrNull } from './values';

export function bookOf(fold: AnalyticsFold, asOf: number = fold.asOf ?? fold.lastAt ?? 0): Book {
  const positions: BookPosition[] = [];
  let realized = 0;
  let unrealized = 0;
  for (const p of fold.positions()) {
    realized += p.realized;
    if (p.status !== 'open' || p.openQty <= EPSILON) continue;
    unrealized += p.unrealized;
    positions.push({
      position_id: p.id,
      ticker: p.ticker,
      side: p.side,
      quantity: p.openQty,
      avg_price: p.entry,
      mark_price: p.mark,
      marked_at: isoOrNull(p.markAt),
      unrealized_pnl: p.unrealized,
      realized_pnl: p.realized,
      opened_at: iso(p.openedAt),
      signal_id: p.signalId,
    });
  }
  const orders: WorkingOrder[] = [...fold.orders.values()].map((o) => ({
    order_id: o.order_id,
    ticker: o.ticker,
    side: o.side,
    order_type: o.order_type,
    quantity: o.quantity,
    filled_quantity: o.filled,
    leaves_quantity: o.quantity === null ? null : Math.max(0, o.quantity - o.filled),
    limit_price: o.limit_price,
    stop_price: o.stop_price,
    status: o.status,
    submitted_at: iso(o.submitted_at),
    signal_id: o.signal_id,
  }));
  const day = fold.events > 0 ? fold.dayKey(asOf) : null;
  const realizedToday = day === null ? 0 : (fold.realizedByDay.get(day) ?? 0);
  const used = Math.max(0, -realizedToday);
  const limit = fold.dailyLossLimit;
  const reported = fold.dailyLossEvent && fold.dailyLossEvent.day === day ? fold.dailyLossEvent : null;
  return {
    as_of: iso(asOf),
    positions,
    orders,
    cash: fold.portfolio?.cash ?? null,
    equity: fold.portfolio?.equity ?? null,
    portfolio_at: fold.portfolio ? iso(fold.portfolio.at) : null,
    realized_pnl: realized,
    unrealized_pnl: unrealized,
    risk: {
      breaker: {
        state: fold.breaker.state,
        reason: fold.breaker.reason,
        since: isoOrNull(fold.breaker.since),
        until: isoOrNull(fold.breaker.until),
      },
      daily_loss: {
        day,
        used,
        limit,
        used_fraction: limit !== null && limit > 0 ? used / limit : null,
        level: reported?.level ?? 'ok',
        reported_realized_today: reported?.realized_pnl_today ?? null,
      },
      limits: { ...fold.limits },
      failed_checks_today: day === null ? 0 : (fold.failedChecksByDay.get(day) ?? 0),
    },
    events: fold.events,
  };
}
