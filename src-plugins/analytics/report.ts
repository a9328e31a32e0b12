/**
 * The performance report, as a trader knows it from a strategy tester: figures over the
 * closed trades (in close order), for the book and per ticker, day (of the close, in the
 * fold's day zone) and exit reason, with marked-to-market drawdowns from the fold and a
 * bucketed equity curve.
 */
import type { AnalyticsFold } from './fold';
import type { LedgerPosition } from './ledger';
import { tradeRow } from './trades';
import type { PerformanceFigures, PerformanceReport, TradeRow } from './types';
import { isoOrNull } from './values';

/** Figures over closed trades given in close order. `mtm` is the group's marked-to-market drawdown, when it has one. */
export function performanceFigures(closed: readonly TradeRow[], mtm: number | null): PerformanceFigures {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let largestWin: number | null = null;
  let largestLoss: number | null = null;
  let commissions = 0;
  let hold = 0;
  let holdCount = 0;
  let cum = 0;
  let peak = 0;
  let dd = 0;
  for (const t of closed) {
    const pnl = t.net_pnl;
    if (pnl > 0) {
      wins += 1;
      grossProfit += pnl;
      if (largestWin === null || pnl > largestWin) largestWin = pnl;
    } else if (pnl < 0) {
      losses += 1;
      grossLoss += pnl;
      if (largestLoss === null || pnl < largestLoss) largestLoss = pnl;
    }
    commissions += t.fees;
    if (t.hold_seconds !== null) {
      hold += t.hold_seconds;
      holdCount += 1;
    }
    cum += pnl;
    if (cum > peak) peak = cum;
    else if (peak - cum > dd) dd = peak - cum;
  }
  const n = closed.length;
  const net = grossProfit + grossLoss;
  return {
    trades: n,
    wins,
    losses,
    net_pnl: net,
    gross_profit: grossProfit,
    gross_loss: grossLoss,
    profit_factor: grossLoss < 0 ? grossProfit / -grossLoss : null,
    win_rate: n > 0 ? wins / n : null,
    avg_win: wins > 0 ? grossProfit / wins : null,
    avg_loss: losses > 0 ? grossLoss / losses : null,
    expectancy: n > 0 ? net / n : null,
    largest_win: largestWin,
    largest_loss: largestLoss,
    max_drawdown: { realized: dd, marked_to_market: mtm },
    commissions,
    avg_hold_seconds: holdCount > 0 ? hold / holdCount : null,
  };
}

function group(closed: readonly { row: TradeRow; key: string }[], mtm: (key: string) => number | null): Record<string, PerformanceFigures> {
  const by = new Map<string, TradeRow[]>();
  for (const { row, key } of closed) {
    let list = by.get(key);
    if (!list) by.set(key, (list = []));
    list.push(row);
  }
  return Object.fromEntries([...by.keys()].sort().map((k) => [k, performanceFigures(by.get(k)!, mtm(k))]));
}

export function performanceReport(fold: AnalyticsFold): PerformanceReport {
  const closedPositions: LedgerPosition[] = [];
  let open = 0;
  let unrealized = 0;
  for (const p of fold.positions()) {
    if (p.status === 'closed') closedPositions.push(p);
    else {
      open += 1;
      unrealized += p.unrealized;
    }
  }
  closedPositions.sort((a, b) => a.closePosition! - b.closePosition!);
  const closed = closedPositions.map((p) => ({ p, row: tradeRow(fold, p) }));
  const total = performanceFigures(
    closed.map((c) => c.row),
    fold.equity.max,
  );
  const byTicker = group(
    closed.map(({ row }) => ({ row, key: row.ticker ?? '(none)' })),
    (k) => fold.tickerEquity.get(k)?.max ?? null,
  );
  const byDay = group(
    closed.map(({ p, row }) => ({ row, key: fold.dayKey(p.closedAt!) })),
    (k) => fold.dayEquity.get(k)?.max ?? null,
  );
  const byReason = group(
    closed.map(({ row }) => ({ row, key: row.exit_reason ?? 'unknown' })),
    () => null,
  );
  return {
    ...total,
    as_of: isoOrNull(fold.cutoff),
    first_at: isoOrNull(fold.firstAt),
    open_trades: open,
    unrealized_pnl: unrealized,
    day_zone: fold.dayZone.name,
    by_ticker: byTicker,
    by_day: byDay,
    by_exit_reason: byReason,
    equity_curve: fold.curve.points(),
    equity_bucket_seconds: fold.curve.bucketSeconds,
  };
}
