import { RiskHooks } from 'catalyst-events/plugins/risk';
import type { Clock } from 'catalyst-events';
import { cents } from '../util/round';
import type { RiskLimits } from './limits';

export type LimitLevel = 'ok' | 'warning' | 'exceeded';

/** One check, as RISK_CHECK_PASSED / _FAILED record it. */
export interface RiskCheck {
  book_id: string;
  check: string;
  subject: string;
  passed: boolean;
  value: number;
  limit: number;
  reason: string;
  reason_code: string;
}

/** What a new entry is checked on. */
export interface EntryRequest {
  subject: string;
  ticker: string;
  notional: number;
  openPositions: number;
  buyingPower: number;
}

export interface PositionLimitResult {
  book_id: string;
  level: LimitLevel;
  ticker: string;
  value: number;
  limit: number;
}

export interface BreakerState {
  tripped: boolean;
  reason: string | null;
  until: number | null;
}

/**
 * Pre-trade checks and the book's running limits: position size, open positions, buying
 * power, daily loss (warning, then exceeded: no new entries), and a circuit breaker that
 * trips on a losing streak or a drawdown and resets after a cooldown or at the next open.
 * Each decorated method does what its event says, so the log and the book agree.
 */
export class RiskManager {
  private realizedToday = 0;
  private consecutiveLosses = 0;
  private peakEquity = 0;
  private dailyLevel: LimitLevel = 'ok';
  private readonly breaker: BreakerState = { tripped: false, reason: null, until: null };
  private trips = 0;

  constructor(
    readonly bookId: string,
    readonly limits: RiskLimits,
    private readonly clock: Clock,
  ) {}

  get realizedPnlToday(): number {
    return this.realizedToday;
  }

  get breakerState(): Readonly<BreakerState> {
    return this.breaker;
  }

  get breakerTrips(): number {
    return this.trips;
  }

  get dailyLossLevel(): LimitLevel {
    return this.dailyLevel;
  }

  /** True when new entries are allowed at all (the pipeline skips early otherwise). */
  canOpen(): boolean {
    return !this.breaker.tripped && this.dailyLevel !== 'exceeded';
  }

  /**
   * Caps a requested size at the position limit, flagging sizes near or over it.
   * Returns the notional to trade.
   */
  sizeEntry(ticker: string, requested: number): number {
    const limit = this.limits.maxPositionValue;
    const level: LimitLevel = requested > limit ? 'exceeded' : requested >= limit * this.limits.positionWarningPct ? 'warning' : 'ok';
    if (level !== 'ok') this.positionLimit({ book_id: this.bookId, level, ticker, value: cents(requested), limit });
    return Math.min(requested, limit);
  }

  @RiskHooks.positionLimit()
  positionLimit(result: PositionLimitResult): PositionLimitResult {
    return result;
  }

  /** Every pre-trade check, all evaluated (not short-circuited) so a failure lists every reason. */
  @RiskHooks.check()
  checkEntry(request: EntryRequest): RiskCheck[] {
    const l = this.limits;
    const mk = (check: string, passed: boolean, value: number, limit: number, reason: string, reason_code: string): RiskCheck => ({
      book_id: this.bookId,
      check,
      subject: request.subject,
      passed,
      value,
      limit,
      reason: passed ? 'ok' : reason,
      reason_code: passed ? 'ok' : reason_code,
    });
    return [
      mk(
        'circuit_breaker',
        !this.breaker.tripped,
        this.consecutiveLosses,
        l.maxConsecutiveLosses,
        `circuit breaker tripped (${this.breaker.reason ?? ''})`,
        'circuit_breaker_tripped',
      ),
      mk(
        'daily_loss',
        this.dailyLevel !== 'exceeded',
        cents(-this.realizedToday),
        l.dailyLossLimit,
        `daily loss limit of ${l.dailyLossLimit} reached`,
        'daily_loss_exceeded',
      ),
      mk(
        'max_open_positions',
        request.openPositions < l.maxOpenPositions,
        request.openPositions,
        l.maxOpenPositions,
        `${request.openPositions} positions open, limit ${l.maxOpenPositions}`,
        'too_many_positions',
      ),
      mk(
        'max_position_size',
        request.notional <= l.maxPositionValue,
        cents(request.notional),
        l.maxPositionValue,
        `notional ${cents(request.notional)} over ${l.maxPositionValue}`,
        'position_too_large',
      ),
      mk(
        'buying_power',
        request.notional <= request.buyingPower,
        cents(request.notional),
        cents(request.buyingPower),
        `notional ${cents(request.notional)} over buying power ${cents(request.buyingPower)}`,
        'insufficient_buying_power',
      ),
    ];
  }

  /** A position closed: book the result, then look at the daily loss and the streak. */
  onTradeClosed(realizedPnl: number): void {
    this.realizedToday = cents(this.realizedToday + realizedPnl);
    this.consecutiveLosses = realizedPnl < 0 ? this.consecutiveLosses + 1 : 0;
    const limit = this.limits.dailyLossLimit;
    const loss = -this.realizedToday;
    const level: LimitLevel = loss >= limit ? 'exceeded' : loss >= limit * this.limits.dailyLossWarningPct ? 'warning' : 'ok';
    // Only a worsening level is news; the level falls back only at the next session.
    if (rank(level) > rank(this.dailyLevel)) {
      this.dailyLoss({ book_id: this.bookId, level, realized_pnl_today: this.realizedToday, limit });
    }
    if (!this.breaker.tripped && this.consecutiveLosses >= this.limits.maxConsecutiveLosses) {
      this.tripBreaker(`${this.consecutiveLosses} consecutive losing trades`);
    }
  }

  /** Marks equity; a drawdown past the limit trips the breaker. */
  onEquity(equity: number): void {
    this.peakEquity = Math.max(this.peakEquity, equity);
    const drawdown = this.peakEquity > 0 ? (this.peakEquity - equity) / this.peakEquity : 0;
    if (!this.breaker.tripped && drawdown >= this.limits.maxDrawdownPct) {
      this.tripBreaker(`drawdown ${(drawdown * 100).toFixed(2)}% from the session peak ${cents(this.peakEquity)}`);
    }
  }

  /** Resets a breaker whose cooldown has passed. */
  onTick(now: number): void {
    if (this.breaker.tripped && this.breaker.until !== null && now >= this.breaker.until) {
      this.resetCircuitBreaker({ book_id: this.bookId, reason: 'cooldown elapsed' });
    }
  }

  /** A new session: the daily figures start over, and a tripped breaker is reset. */
  startSession(equity: number): void {
    this.realizedToday = 0;
    this.dailyLevel = 'ok';
    this.peakEquity = equity;
    if (this.breaker.tripped) this.resetCircuitBreaker({ book_id: this.bookId, reason: 'new session' });
  }

  @RiskHooks.dailyLossLimit()
  dailyLoss(result: { book_id: string; level: LimitLevel; realized_pnl_today: number; limit: number }): typeof result {
    this.dailyLevel = result.level;
    return result;
  }

  @RiskHooks.tripCircuitBreaker()
  tripCircuitBreaker(trip: { book_id: string; reason: string; until: number }): typeof trip {
    this.breaker.tripped = true;
    this.breaker.reason = trip.reason;
    this.breaker.until = trip.until;
    this.trips += 1;
    return trip;
  }

  @RiskHooks.resetCircuitBreaker()
  resetCircuitBreaker(reset: { book_id: string; reason: string }): typeof reset {
    this.breaker.tripped = false;
    this.breaker.reason = null;
    this.breaker.until = null;
    this.consecutiveLosses = 0;
    this.peakEquity = 0;
    return reset;
  }

  private tripBreaker(reason: string): void {
    this.tripCircuitBreaker({ book_id: this.bookId, reason, until: this.clock.now() + this.limits.cooldownMinutes * 60_000 });
  }
}

const rank = (level: LimitLevel): number => (level === 'ok' ? 0 : level === 'warning' ? 1 : 2);
