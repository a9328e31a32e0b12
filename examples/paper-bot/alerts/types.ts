/** A news alert as the wire delivers it (the ALERT_RECEIVED payload). */
export interface NewsAlert {
  alert_id: string;
  ticker: string;
  headline: string;
  source: string;
  /** Unix ms. */
  received_at: number;
}

export type Sentiment = 1 | -1 | 0;

export type CatalystType =
  | 'fda_approval'
  | 'earnings_beat'
  | 'partnership'
  | 'contract_award'
  | 'analyst_upgrade'
  | 'offering'
  | 'lawsuit'
  | 'earnings_miss'
  | 'trial_failure'
  | 'conference'
  | 'unknown';

/** The ALERT_CLASSIFIED payload. */
export interface Classification {
  alert_id: string;
  ticker: string;
  catalyst_type: CatalystType;
  /** The catalyst's base weight (the scorer adds the rest). */
  score: number;
  keywords_matched: string[];
  confidence: number;
  sentiment: Sentiment;
  sentiment_sources: string[];
  classification_version: string;
}

/** The ALERT_SCORED payload. */
export interface AlertScore {
  alert_id: string;
  score: number;
  components: Record<string, number>;
}

export type DecisionKind = 'trade' | 'skip' | 'wait';

/** The ALERT_DECISION_MADE payload. */
export interface AlertDecision {
  alert_id: string;
  ticker: string;
  decision: DecisionKind;
  reasoning: string;
  /** Machine-readable reason, e.g. `score_below_threshold`. */
  reason_code: string;
  score: number;
  min_score_threshold: number;
  confidence: number;
  min_confidence: number;
  override_flags: string[];
  signal_id: string | null;
  /** Set for `trade`: which way. */
  action: 'buy' | 'short' | null;
  /** Set for `wait`: when to look again (Unix ms). */
  recheck_at: number | null;
}
