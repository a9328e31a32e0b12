/**
 * What analytics returns. Key names are contracts (issue 17: `trades --json`, `report
 * --json`, `book --json`); every time is ISO-8601 UTC; every amount is the raw number
 * (formatting for people is format.ts's job, at the edge).
 */

/** Where a figure came from: enough to open the event (by id or by global position). */
export interface EventRef {
  position: number;
  event_id: string;
  event_type: string;
  aggregate_id: string;
  at: string;
}

/** One row per position (the trades blotter). */
export interface TradeRow {
  position_id: string;
  ticker: string | null;
  side: string | null;
  /** The largest open quantity the position reached. */
  peak_quantity: number;
  /** Weighted average over every entry fill. */
  avg_entry_price: number | null;
  /** Weighted average over every exit fill (partial exits and the close); null before any exit. */
  avg_exit_price: number | null;
  /** Realized before commissions: net_pnl + fees. */
  gross_pnl: number;
  /** Commissions charged to the realized P&L (all of them once closed). */
  fees: number;
  /** Realized, net of commissions: the position reducer's `realized_pnl`. */
  net_pnl: number;
  /** net_pnl / total entry cost * 100 (the reducer's `return_pct` once closed). */
  return_pct: number | null;
  opened_at: string | null;
  closed_at: string | null;
  /** Closed: the reducer's hold_duration_seconds. Open: from opening to the cut-off. */
  hold_seconds: number | null;
  exit_reason: string | null;
  status: 'open' | 'closed';
  signal_id: string | null;
  alert_id: string | null;
  run_id: string | null;
}

export type TradeColumn = keyof TradeRow;

/** The trade figures of the report, for the whole book and for each group. */
export interface PerformanceFigures {
  /** Closed trades. */
  trades: number;
  wins: number;
  losses: number;
  /** Sum of net P&L over closed trades. */
  net_pnl: number;
  /** Sum of the winning trades' net P&L (>= 0). */
  gross_profit: number;
  /** Sum of the losing trades' net P&L (<= 0). */
  gross_loss: number;
  /** gross_profit / |gross_loss|; null without a loss. */
  profit_factor: number | null;
  /** wins / trades, 0..1; null without trades. */
  win_rate: number | null;
  /** Mean net P&L of a winner; null without one. */
  avg_win: number | null;
  /** Mean net P&L of a loser (<= 0); null without one. */
  avg_loss: number | null;
  /** Mean net P&L per trade; null without trades. */
  expectancy: number | null;
  largest_win: number | null;
  largest_loss: number | null;
  max_drawdown: {
    /** Largest peak-to-trough fall of the closed trades' cumulative net P&L, in close order (>= 0). */
    realized: number;
    /**
     * Largest fall of realized (partial exits included) + unrealized P&L, at every event
     * that moved it (>= 0). Null where a group cannot be marked (by exit reason: the reason
     * is known only at the close).
     */
    marked_to_market: number | null;
  };
  /** Commissions of the closed trades. */
  commissions: number;
  avg_hold_seconds: number | null;
}

export interface EquityPoint {
  /** Start of the bucket. */
  at: string;
  /** Realized P&L (partial exits included) at the bucket's end. */
  realized: number;
  /** Realized + unrealized at the bucket's end. */
  equity: number;
  equity_low: number;
  equity_high: number;
  /** Deepest fall below the running peak inside the bucket (>= 0). */
  drawdown: number;
}

export interface PerformanceReport extends PerformanceFigures {
  /** The last event folded (the report's cut-off); null on an empty log. */
  as_of: string | null;
  first_at: string | null;
  /** Positions still open at the cut-off, with their unrealized P&L at the last mark. */
  open_trades: number;
  unrealized_pnl: number;
  /** The zone by_day is bucketed in. */
  day_zone: string;
  by_ticker: Record<string, PerformanceFigures>;
  by_day: Record<string, PerformanceFigures>;
  by_exit_reason: Record<string, PerformanceFigures>;
  /** Equity and drawdown over time, bucketed (bucket width doubles to stay under a bound). */
  equity_curve: EquityPoint[];
  equity_bucket_seconds: number;
}

export interface BookPosition {
  position_id: string;
  ticker: string | null;
  side: string | null;
  quantity: number;
  avg_price: number | null;
  /** The last price update or fill at or before as_of. */
  mark_price: number | null;
  marked_at: string | null;
  unrealized_pnl: number;
  /** Realized so far by partial exits (net). */
  realized_pnl: number;
  opened_at: string | null;
  signal_id: string | null;
}

export interface WorkingOrder {
  order_id: string;
  ticker: string | null;
  side: string | null;
  order_type: string | null;
  quantity: number | null;
  filled_quantity: number;
  leaves_quantity: number | null;
  limit_price: number | null;
  stop_price: number | null;
  status: string;
  submitted_at: string | null;
  signal_id: string | null;
}

export interface BookRisk {
  breaker: { state: 'normal' | 'tripped'; reason: string | null; since: string | null; until: string | null };
  daily_loss: {
    /** The day (in the book's day zone) as_of falls on. */
    day: string | null;
    /** Loss realized that day (>= 0; 0 on a winning day), from the trades in the log. */
    used: number;
    /** The last daily-loss limit the log recorded (a DAILY_LOSS_* event or a daily_loss check). */
    limit: number | null;
    /** used / limit, 0..1+; null without a limit. */
    used_fraction: number | null;
    /** The level the risk plugin last recorded that day: ok, warning or exceeded. */
    level: 'ok' | 'warning' | 'exceeded';
    /** The risk plugin's own figure at its last daily-loss event that day, when there is one. */
    reported_realized_today: number | null;
  };
  /** The limit each check last compared against. */
  limits: Record<string, unknown>;
  failed_checks_today: number;
}

export interface Book {
  as_of: string;
  positions: BookPosition[];
  orders: WorkingOrder[];
  /** From the portfolio plugin's last PORTFOLIO_SNAPSHOT_CREATED at or before as_of; null when the log has none. */
  cash: number | null;
  equity: number | null;
  portfolio_at: string | null;
  /** From the positions themselves: realized so far (all trades) and unrealized at as_of. */
  realized_pnl: number;
  unrealized_pnl: number;
  risk: BookRisk;
  /** Events folded to build it. */
  events: number;
}

/** A count and the events behind it. */
export interface Tally {
  count: number;
  events: EventRef[];
}

export interface DecisionBreakdown {
  /** ALERT_DECISION_MADE by decision (trade / skip / wait): one per decision event. */
  by_decision: Record<string, Tally>;
  /** ALERT_SKIPPED by reason code (else the reason text). */
  by_skip_reason: Record<string, Tally>;
  /** RISK_CHECK_FAILED by check. */
  risk_failures: Record<string, Tally>;
  /** ORDER_REJECTED by reject_reason. */
  rejections: Record<string, Tally>;
}

export interface BreakerTrip {
  trip: EventRef;
  reason: string | null;
  until: string | null;
  reset: EventRef | null;
  reset_reason: string | null;
  /** The event the risk plugin recorded as its cause (causation), when the log has it. */
  cause: EventRef | null;
  /** The losing streak it tripped on: the consecutive losing closes before the trip. */
  losses: Array<{ position_id: string; ticker: string | null; net_pnl: number; event: EventRef }>;
  /** What it then blocked: failed circuit-breaker checks while tripped, with their subject (a signal or order). */
  blocked: Array<{ subject: string | null; ticker: string | null; check: string; event: EventRef }>;
}

export interface DecisionAnalytics extends DecisionBreakdown {
  day_zone: string;
  alerts: number;
  by_ticker: Record<string, DecisionBreakdown>;
  by_day: Record<string, DecisionBreakdown>;
  breaker_trips: BreakerTrip[];
}

export interface WhatIfFlip {
  alert_id: string;
  ticker: string | null;
  at: string;
  score: number;
  recorded_threshold: number;
  recorded_decision: string;
  reason_code: string | null;
  /** What the other threshold would have decided on the score. */
  would_be: 'trade' | 'skip';
  decision_event: EventRef;
  /** Positions the alert's signal opened (those that traded), with their outcome. */
  trades: Array<Pick<TradeRow, 'position_id' | 'status' | 'net_pnl' | 'return_pct' | 'exit_reason'>>;
  net_pnl: number | null;
}

export interface WhatIf {
  threshold: number;
  /** The thresholds the log recorded decisions against. */
  recorded_thresholds: number[];
  flips: WhatIfFlip[];
  /** Trades that would not have been taken, and their summed net P&L (what the change would have avoided). */
  would_not_trade: number;
  their_net_pnl: number;
  /** Alerts that would have traded (their outcome is unknown: they never did). */
  would_trade: number;
}

export interface PnlPoint {
  at: string;
  position: number;
  event_type: string;
  price: number | null;
  /** Open quantity after the event. */
  quantity: number;
  /** Unrealized P&L of the open quantity at `price` (for a fill: before the fill, at its price). */
  unrealized_pnl: number;
  /** Realized so far (net), after the event. */
  realized_pnl: number;
  stop_loss: number | null;
  take_profit: number | null;
}

export interface PnlMarker {
  at: string;
  position: number;
  event_id: string;
  kind: 'opened' | 'increased' | 'reduced' | 'closed' | 'stop_moved' | 'take_profit_moved' | 'stop_triggered' | 'take_profit_triggered';
  price: number | null;
  quantity: number | null;
}

/** One position's P&L story; entry, exit, realized, status and hold equal `show position --json`. */
export interface PositionPnl {
  position_id: string;
  found: boolean;
  ticker: string | null;
  side: string | null;
  status: 'unknown' | 'open' | 'closed';
  /** The reducer's entry_price: weighted average of the entry fills. */
  entry_price: number | null;
  /** The reducer's exit_price: the closing fill's price (null while open). */
  exit_price: number | null;
  /** Weighted average of every exit fill. */
  avg_exit_price: number | null;
  realized_pnl: number;
  unrealized_pnl: number | null;
  best_unrealized_pnl: number | null;
  worst_unrealized_pnl: number | null;
  /** Closed: the reducer's hold_duration_seconds; open: opening to the last event read. */
  hold_seconds: number | null;
  opened_at: string | null;
  closed_at: string | null;
  exit_reason: string | null;
  peak_quantity: number;
  open_quantity: number;
  fees: number;
  points: PnlPoint[];
  markers: PnlMarker[];
  corrupt: number;
}
