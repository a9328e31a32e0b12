import { roundTo } from '../util/round';
import { SOURCE_RELIABILITY } from './catalysts';
import { clamp } from './classifier';
import type { AlertScore, Classification, NewsAlert } from './types';

export interface ScoreContext {
  /** Minutes since the session opened. */
  minuteOfSession: number;
  /** Move of the stock over the last minutes, signed in the catalyst's direction. */
  confirmingMovePct: number;
}

/** The score is a sum of named components, so a decision can say what it was made of. */
export function scoreAlert(alert: NewsAlert, c: Classification, ctx: ScoreContext): AlertScore {
  const components: Record<string, number> = {
    catalyst: c.score,
    keywords: roundTo(Math.min(0.15, 0.05 * Math.max(0, c.keywords_matched.length - 1)), 4),
    source: SOURCE_RELIABILITY[alert.source] ?? 0,
    timing: ctx.minuteOfSession < 30 ? 0.05 : ctx.minuteOfSession > 330 ? -0.1 : 0,
    // Price already moving the catalyst's way: the market agrees (capped both ways).
    momentum: roundTo(clamp(ctx.confirmingMovePct * 2, -0.1, 0.1), 4),
  };
  const total = Object.values(components).reduce((sum, v) => sum + v, 0);
  return { alert_id: alert.alert_id, score: roundTo(clamp(total, 0, 1), 4), components };
}
