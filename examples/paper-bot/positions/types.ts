export type PositionSide = 'long' | 'short';
export type ExitReason = 'stop_loss' | 'take_profit' | 'manual' | 'timeout' | 'risk';

/** How positions are protected and exited. Fractions of the entry price. */
export interface ExitRules {
  stopLossPct: number;
  takeProfitPct: number;
  /** Gain after which the stop starts trailing. */
  trailActivationPct: number;
  /** Distance of the trailing stop from the best price. */
  trailPct: number;
  /** Smallest stop move worth making (fraction of price): no churn of tiny moves. */
  trailStepPct: number;
  /** A follow-on catalyst raises the take-profit by this much. */
  takeProfitExtendPct: number;
  /** Positions older than this close with reason `timeout`. */
  maxHoldMinutes: number;
  /** Price moves smaller than this (fraction) since the last reported price are not reported. */
  priceThreshold: number;
}

export const DEFAULT_EXIT_RULES: ExitRules = {
  stopLossPct: 0.025,
  takeProfitPct: 0.05,
  trailActivationPct: 0.015,
  trailPct: 0.02,
  trailStepPct: 0.004,
  takeProfitExtendPct: 0.03,
  maxHoldMinutes: 150,
  priceThreshold: 0.001,
};

/** A request from the position manager to the executor: flatten this position. */
export interface ExitRequest {
  position_id: string;
  ticker: string;
  /** The order side that reduces the position. */
  side: 'buy' | 'sell';
  quantity: number;
  reason: ExitReason;
  price: number;
}
