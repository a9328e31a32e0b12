/** The risk book's limits. Money in dollars, fractions as 0..1. */
export interface RiskLimits {
  /** Largest notional one position may have. */
  maxPositionValue: number;
  /** Share of maxPositionValue at which a size is flagged (POSITION_LIMIT_WARNING). */
  positionWarningPct: number;
  maxOpenPositions: number;
  /** Realized loss in one session that stops new entries and flattens the book. */
  dailyLossLimit: number;
  /** Share of the daily limit at which a warning goes out. */
  dailyLossWarningPct: number;
  /** Consecutive losing trades that trip the circuit breaker. */
  maxConsecutiveLosses: number;
  /** Drawdown of equity from the session's peak (fraction) that trips the breaker. */
  maxDrawdownPct: number;
  /** How long a tripped breaker stays tripped. */
  cooldownMinutes: number;
}

export const DEFAULT_LIMITS: RiskLimits = {
  maxPositionValue: 12_000,
  positionWarningPct: 0.8,
  maxOpenPositions: 2,
  dailyLossLimit: 1_000,
  dailyLossWarningPct: 0.5,
  maxConsecutiveLosses: 2,
  maxDrawdownPct: 0.012,
  cooldownMinutes: 45,
};
