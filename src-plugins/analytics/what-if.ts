/**
 * What-if on the recorded decisions: given another score threshold, which alerts' decisions
 * would flip, and how the trades of those that traded turned out. Only decisions made on the
 * score flip: a trade that passed the threshold, or a skip / wait held below it for the
 * score itself (reason codes `score_below_threshold`, `near_threshold`, or none). A skip for
 * another reason (a position already open, a duplicate story) stays a skip.
 */
import type { AnalyticsFold } from './fold';
import { allTrades } from './trades';
import type { TradeRow, WhatIf, WhatIfFlip } from './types';

const SCORE_REASONS = new Set(['score_below_threshold', 'near_threshold']);

export function whatIf(fold: AnalyticsFold, threshold: number): WhatIf {
  const bySignal = new Map<string, TradeRow[]>();
  for (const row of allTrades(fold)) {
    if (row.signal_id === null) continue;
    let list = bySignal.get(row.signal_id);
    if (!list) bySignal.set(row.signal_id, (list = []));
    list.push(row);
  }
  const recorded = new Set<number>();
  const flips: WhatIfFlip[] = [];
  let wouldNotTrade = 0;
  let theirPnl = 0;
  let wouldTrade = 0;
  for (const a of fold.alertRecords().values()) {
    const first = a.first;
    if (!first || first.score === null || first.threshold === null) continue;
    recorded.add(first.threshold);
    const passed = first.score >= first.threshold;
    const passes = first.score >= threshold;
    if (passed === passes) continue;
    let wouldBe: 'trade' | 'skip';
    if (passed && first.decision === 'trade') wouldBe = 'skip';
    else if (!passed && first.decision !== 'trade' && (first.reason_code === null || SCORE_REASONS.has(first.reason_code)))
      wouldBe = 'trade';
    else continue;
    const trades = a.signal_id === null ? [] : (bySignal.get(a.signal_id) ?? []);
    const net = trades.length === 0 ? null : trades.reduce((s, t) => s + t.net_pnl, 0);
    if (wouldBe === 'skip') {
      wouldNotTrade += 1;
      theirPnl += net ?? 0;
    } else {
      wouldTrade += 1;
    }
    flips.push({
      alert_id: a.alert_id,
      ticker: a.ticker,
      at: first.ref.at,
      score: first.score,
      recorded_threshold: first.threshold,
      recorded_decision: first.decision,
      reason_code: first.reason_code,
      would_be: wouldBe,
      decision_event: first.ref,
      trades: trades.map((t) => ({
        position_id: t.position_id,
        status: t.status,
        net_pnl: t.net_pnl,
        return_pct: t.return_pct,
        exit_reason: t.exit_reason,
      })),
      net_pnl: net,
    });
  }
  flips.sort((x, y) => x.decision_event.position - y.decision_event.position);
  return {
    threshold,
    recorded_thresholds: [...recorded].sort((x, y) => x - y),
    flips,
    would_not_trade: wouldNotTrade,
    their_net_pnl: theirPnl,
    would_trade: wouldTrade,
  };
}
