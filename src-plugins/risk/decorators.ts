/**
 * Risk plugin hook points: the decorators a bot puts on its risk manager.
 *
 * ```ts
 * class Risk {
 *   @RiskHooks.check()             // result: RiskCheckInput, or an array of them
 *   checkOrder(o: { order_id: string; signal_id: string; ticker: string; notional: number }) {
 *     return { check: 'max_notional', subject: o.signal_id, passed: o.notional <= 10_000, value: o.notional, limit: 10_000 };
 *   }
 *
 *   @RiskHooks.positionLimit()     // result: { level: 'ok' | 'warning' | 'exceeded', ticker, value, limit }
 *   exposure(ticker: string) { ... }
 *
 *   @RiskHooks.dailyLossLimit()    // result: { level, realized_pnl_today, limit }
 *   dailyLoss() { ... }
 *
 *   @RiskHooks.tripCircuitBreaker()   // arg/result: { reason, until? }
 *   halt(p: { reason: string; until: number }) { ... }
 *
 *   @RiskHooks.resetCircuitBreaker()  // arg/result: { reason? }
 *   resume() { ... }
 * }
 * ```
 *
 * Conventions:
 * - All risk events go to one `risk` aggregate per book: id from the input's `book_id`,
 *   else the plugin option `bookId`, else 'default'.
 * - The default input is the method's first argument overlaid by its return value (when
 *   either is an object); `map` answers are merged over that. A check may return an array
 *   (one event per check), or a boolean `passed` with the check's details in the argument.
 * - `check`: `passed` true -> RISK_CHECK_PASSED, false -> RISK_CHECK_FAILED; a throw ->
 *   RISK_CHECK_FAILED with the error as reason. `check` defaults to the method's name,
 *   `subject` to the first argument's `signal_id` (else `order_id`).
 *   Failed checks carry what they were decided on: value, limit, reason, reason_code.
 * - `positionLimit` / `dailyLossLimit` emit nothing at level 'ok'.
 * - Events about a subject (signal or order id) continue that subject's causal chain (after
 *   a restart too: the chain is read from the log). The plugin keeps no other live state.
 */
import { hook, type HookDecorator } from '../../src-core';
import type { HookOptions } from '../shared/hook-options';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

/** Hook point names (the core's registry keys). */
export const RISK_POINTS = {
  check: 'risk.check',
  positionLimit: 'risk.positionLimit',
  dailyLossLimit: 'risk.dailyLossLimit',
  tripCircuitBreaker: 'risk.tripCircuitBreaker',
  resetCircuitBreaker: 'risk.resetCircuitBreaker',
} as const;

/** `@RiskHooks.check()` -> RISK_CHECK_PASSED / RISK_CHECK_FAILED */
export interface RiskCheckInput {
  book_id?: string;
  passed: boolean;
  /** Check name, e.g. 'max_position_size'. Default: the method's name. */
  check?: string;
  /** Signal or order id the check was about. */
  subject?: string | null;
  value?: number | null;
  limit?: number | null;
  reason?: string | null;
  reason_code?: string | null;
}

/** How close a value is to its limit. `ok` emits nothing. */
export type LimitLevel = 'ok' | 'warning' | 'exceeded';

/** `@RiskHooks.positionLimit()` -> POSITION_LIMIT_WARNING / POSITION_LIMIT_EXCEEDED */
export interface PositionLimitInput {
  book_id?: string;
  level: LimitLevel;
  ticker: string;
  value: number;
  limit: number;
}

/** `@RiskHooks.dailyLossLimit()` -> DAILY_LOSS_LIMIT_WARNING / DAILY_LOSS_LIMIT_EXCEEDED */
export interface DailyLossLimitInput {
  book_id?: string;
  level: LimitLevel;
  /** Negative when losing. */
  realized_pnl_today: number;
  /** The loss limit as a positive amount. */
  limit: number;
}

/** `@RiskHooks.tripCircuitBreaker()` -> CIRCUIT_BREAKER_TRIGGERED */
export interface CircuitBreakerTripInput {
  book_id?: string;
  reason: string;
  /** Until when trading halts: ISO string or Unix ms; null = until reset. */
  until?: string | number | null;
}

/** `@RiskHooks.resetCircuitBreaker()` -> CIRCUIT_BREAKER_RESET */
export interface CircuitBreakerResetInput {
  book_id?: string;
  reason?: string | null;
}

/** Decorator factories. Each returns a method decorator for standard and legacy (experimentalDecorators) decorators alike. */
export const RiskHooks = {
  /**
   * Marks a method that runs a pre-trade check ({@link RiskCheckInput}, or an array of them); emits RISK_CHECK_PASSED
   * or RISK_CHECK_FAILED (a throw: failed, with the error as reason).
   */
  check: (options: HookOptions<RiskCheckInput> = {}): HookDecorator => hook(RISK_POINTS.check, options),
  /** Marks a method that measures a ticker's exposure ({@link PositionLimitInput}); emits POSITION_LIMIT_WARNING or _EXCEEDED. */
  positionLimit: (options: HookOptions<PositionLimitInput> = {}): HookDecorator => hook(RISK_POINTS.positionLimit, options),
  /** Marks a method that measures today's realized loss ({@link DailyLossLimitInput}); emits DAILY_LOSS_LIMIT_WARNING or _EXCEEDED. */
  dailyLossLimit: (options: HookOptions<DailyLossLimitInput> = {}): HookDecorator => hook(RISK_POINTS.dailyLossLimit, options),
  /** Marks a method that halts trading ({@link CircuitBreakerTripInput}); emits CIRCUIT_BREAKER_TRIGGERED. */
  tripCircuitBreaker: (options: HookOptions<CircuitBreakerTripInput> = {}): HookDecorator => hook(RISK_POINTS.tripCircuitBreaker, options),
  /** Marks a method that resumes trading ({@link CircuitBreakerResetInput}); emits CIRCUIT_BREAKER_RESET. */
  resetCircuitBreaker: (options: HookOptions<CircuitBreakerResetInput> = {}): HookDecorator =>
    hook(RISK_POINTS.resetCircuitBreaker, options),
} as const;
