import type { AlertDecision, AlertScore, Classification, NewsAlert } from './types';

/** A trading signal (the SIGNAL_GENERATED payload): what to do, how sure, and why. */
export interface Signal {
  signal_id: string;
  ticker: string;
  action: 'buy' | 'short';
  confidence: number;
  reasoning: string;
  timeframe: 'intraday';
  source_alert_id: string;
  entry_price: number;
  stop_loss_price: number;
  take_profit_price: number;
  /** What the signal was decided on. */
  inputs: Record<string, unknown>;
}

export interface SignalContext {
  alert: NewsAlert;
  classification: Classification;
  score: AlertScore;
  decision: AlertDecision;
  price: number;
  stops: { stop: number; target: number };
}

/** Signal confidence blends the classifier's confidence with how far the score cleared the bar. */
export function buildSignal(signalId: string, ctx: SignalContext): Signal {
  const { alert, classification: c, score, decision } = ctx;
  const margin = Math.max(0, score.score - decision.min_score_threshold);
  const confidence = Math.round(Math.min(0.99, c.confidence * 0.7 + 0.3 * Math.min(1, 0.5 + margin * 3)) * 10_000) / 10_000;
  return {
    signal_id: signalId,
    ticker: alert.ticker,
    action: decision.action ?? 'buy',
    confidence,
    reasoning: decision.reasoning,
    timeframe: 'intraday',
    source_alert_id: alert.alert_id,
    entry_price: ctx.price,
    stop_loss_price: ctx.stops.stop,
    take_profit_price: ctx.stops.target,
    inputs: {
      catalyst_type: c.catalyst_type,
      score: score.score,
      min_score_threshold: decision.min_score_threshold,
      classifier_confidence: c.confidence,
      override_flags: decision.override_flags,
    },
  };
}
