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
import { z } from 'zod';
import { hook, type HookDecorator, type HookCall, type PluginContext } from '../../src-core';
import type { HookOptions } from '../shared/hook-options';
import { errorMessage, errorReason, isRecord, lower, resolveError, resolveInputs, type Input } from '../shared/input';
import { parsePluginOptions } from '../shared/plugin-options';
import { PluginRuntime } from '../shared/plugin-runtime';
import { num, str } from '../shared/reduce-helpers';
import { RISK_AGGREGATE } from './events';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

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

export const RiskHooks = {
  check: (options: HookOptions<RiskCheckInput> = {}): HookDecorator => hook(RISK_POINTS.check, options),
  positionLimit: (options: HookOptions<PositionLimitInput> = {}): HookDecorator =>
    hook(RISK_POINTS.positionLimit, options),
  dailyLossLimit: (options: HookOptions<DailyLossLimitInput> = {}): HookDecorator =>
    hook(RISK_POINTS.dailyLossLimit, options),
  tripCircuitBreaker: (options: HookOptions<CircuitBreakerTripInput> = {}): HookDecorator =>
    hook(RISK_POINTS.tripCircuitBreaker, options),
  resetCircuitBreaker: (options: HookOptions<CircuitBreakerResetInput> = {}): HookDecorator =>
    hook(RISK_POINTS.resetCircuitBreaker, options),
} as const;

// ---------------------------------------------------------------------------------------
// Handlers: what each hook point emits. Attached by the plugin's register(ctx).

type Call = HookCall<HookOptions<unknown> | undefined>;

/** The risk plugin's options (`pluginOptions.risk` in the config). */
export const riskOptionsSchema = z.looseObject({
  /** The risk aggregate's id when a call names no `book_id`: one per account or run. */
  bookId: z.string().min(1).default('default'),
});
export type RiskOptions = z.output<typeof riskOptionsSchema>;

export function parseRiskOptions(options: Readonly<Record<string, unknown>>): RiskOptions {
  return parsePluginOptions('risk', riskOptionsSchema, options);
}

const CHECK_KEYS = ['book_id', 'passed', 'check', 'subject', 'value', 'limit', 'reason', 'reason_code'];
const POSITION_LIMIT_KEYS = ['book_id', 'level', 'ticker', 'value', 'limit'];
const DAILY_LOSS_KEYS = ['book_id', 'level', 'realized_pnl_today', 'limit'];
const BREAKER_KEYS = ['book_id', 'reason', 'until'];

/** The id a check was about, from the call's first argument. */
function subjectOf(args: readonly unknown[]): string | null {
  const first = args[0];
  if (!isRecord(first)) return null;
  return str(first.subject) ?? str(first.signal_id) ?? str(first.order_id);
}

/** Attaches the risk plugin's handlers. All state lives in this closure: one per plugin instance. */
export function registerRiskHooks(ctx: PluginContext): PluginRuntime {
  const { bookId } = parseRiskOptions(ctx.options);
  const rt = new PluginRuntime(ctx);

  const emitRisk = (eventType: string, input: Input, payload: Input, subject: string | null = null): void => {
    rt.emit({
      eventType,
      aggregateType: RISK_AGGREGATE,
      aggregateId: str(input.book_id) ?? bookId,
      payload,
      // A check continues the chain of what it checked, never the book's (one book spans every trade).
      follow: [rt.ref('signal', subject), rt.ref('order', subject)],
    });
  };

  const check = (call: Call, input: Input): void => {
    const subject = str(input.subject) ?? subjectOf(call.args);
    emitRisk(input.passed === true ? 'RISK_CHECK_PASSED' : 'RISK_CHECK_FAILED', input, {
      check: str(input.check) ?? call.method,
      subject,
      value: input.value ?? null,
      limit: input.limit ?? null,
      reason: str(input.reason),
      reason_code: str(input.reason_code),
    }, subject);
  };

  ctx.hooks.on<HookOptions<unknown> | undefined>(RISK_POINTS.check, {
    after(call: Call, result: unknown) {
      const fromResult = typeof result === 'boolean' ? { passed: result } : {};
      for (const raw of resolveInputs(call, result, 'after', CHECK_KEYS)) {
        const input = { ...fromResult, ...raw };
        if (typeof input.passed !== 'boolean') rt.require('RISK_CHECK_PASSED', { passed: null }, ['passed']);
        check(call, input);
      }
    },
    error(call: Call, error: unknown) {
      const mapped = resolveError(call, error);
      if (mapped === null) return;
      const [input] = resolveInputs(call, undefined, 'before', CHECK_KEYS);
      check(call, { ...input, reason: errorMessage(error), reason_code: errorReason(error), ...mapped, passed: false });
    },
  });

  const limitHook = (point: string, keys: readonly string[], warning: string, exceeded: string, build: (input: Input) => Input): void => {
    ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        for (const input of resolveInputs(call, result, 'after', keys)) {
          const level = lower(input.level);
          if (level !== 'warning' && level !== 'exceeded') continue; // 'ok': nothing to record
          emitRisk(level === 'warning' ? warning : exceeded, input, build(input));
        }
      },
    });
  };
  limitHook(RISK_POINTS.positionLimit, POSITION_LIMIT_KEYS, 'POSITION_LIMIT_WARNING', 'POSITION_LIMIT_EXCEEDED', (input) => ({
    ticker: input.ticker,
    value: num(input.value),
    limit: num(input.limit),
  }));
  limitHook(RISK_POINTS.dailyLossLimit, DAILY_LOSS_KEYS, 'DAILY_LOSS_LIMIT_WARNING', 'DAILY_LOSS_LIMIT_EXCEEDED', (input) => ({
    realized_pnl_today: num(input.realized_pnl_today),
    limit: num(input.limit),
  }));

  const breakerHook = (point: string, eventType: string): void => {
    ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        for (const input of resolveInputs(call, result, 'after', BREAKER_KEYS)) {
          const reason = str(input.reason);
          emitRisk(eventType, input, {
            reason: eventType === 'CIRCUIT_BREAKER_TRIGGERED' ? (reason ?? call.method) : reason,
            until: input.until ?? null,
          });
        }
      },
    });
  };
  breakerHook(RISK_POINTS.tripCircuitBreaker, 'CIRCUIT_BREAKER_TRIGGERED');
  breakerHook(RISK_POINTS.resetCircuitBreaker, 'CIRCUIT_BREAKER_RESET');
  return rt;
}
