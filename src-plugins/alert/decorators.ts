/**
 * Alert plugin hook points: the decorators a bot puts on its alert pipeline.
 *
 * ```ts
 * class Pipeline {
 *   @AlertHooks.receive()      // arg: { alert_id, ticker, headline, source }
 *   async process(alert: Alert) {          // nested hooked calls share this chain
 *     if (this.limiter.isLimited(alert)) return;
 *     const c = this.classify(alert); const d = this.decide(alert, c); ...
 *   }
 *
 *   @AlertHooks.classify()     // arg: { alert_id, ... }; result: ClassificationInput
 *   classify(alert: Alert) { return { catalyst_type: 'fda_approval', score: 0.82, keywords_matched: ['fda'], confidence: 0.9 }; }
 *
 *   @AlertHooks.decide()       // result: { decision: 'trade' | 'skip' | 'wait', reasoning, score, min_score_threshold, ... }
 *   decide(alert: Alert, c: Classification) { ... }
 *
 *   @AlertHooks.rateLimit()    // result: { limited: boolean, limit, window_seconds }: emits only when limited
 *   isLimited(alert: Alert) { ... }
 * }
 * ```
 *
 * Conventions:
 * - The default input is the method's first argument overlaid by its return value (when
 *   either is an object); only the payload's keys are taken, so `alert_id` flows from the
 *   alert argument into each event. `map` answers are merged over that and kept whole.
 * - `receive` emits ALERT_RECEIVED *before* the call when the argument carries `alert_id`,
 *   so everything the pipeline emits inside the call follows it in the same chain.
 * - `rateLimit` emits only when `limited` is true (a boolean result is read as `limited`;
 *   a throw counts as limited, with the error as reason). `score` accepts a number result
 *   as the score, `decide` a string result as the decision. `decide` records the decision
 *   with what it was decided on: `score`, `min_score_threshold`, `reasoning`,
 *   `reason_code`, `override_flags`.
 * - `classify`, `score` and `decide` describe their result: a null / undefined result emits
 *   nothing (unless `map` is given). The others also emit from the arguments alone (a void
 *   `skip(alert)` records the skip); with neither an `alert_id` nor a result, nothing.
 * - Apart from `rateLimit` (where `false` means "not limited"), a method that returns
 *   `false` says it did not do it: nothing is emitted.
 * - Events of one alert continue its causal chain even from separate, later calls (after a
 *   restart too: the chain is read from the log). The plugin keeps no other live state.
 */
import { hook, type HookDecorator } from '../../src-core';
import type { z } from 'zod';
import type { HookOptions } from '../shared/hook-options';
import type { alertDecision } from './events';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

/** Hook point names (the core's registry keys). */
export const ALERT_POINTS = {
  receive: 'alert.receive',
  rateLimit: 'alert.rateLimit',
  classify: 'alert.classify',
  score: 'alert.score',
  decide: 'alert.decide',
  send: 'alert.send',
  skip: 'alert.skip',
  tradeExecuted: 'alert.tradeExecuted',
} as const;

/** `@AlertHooks.receive()` -> ALERT_RECEIVED */
export interface AlertReceiveInput {
  alert_id: string;
  ticker: string;
  headline?: string | null;
  source?: string | null;
  /** ISO string or Unix ms; default: the clock's now. */
  received_at?: string | number | null;
  url?: string | null;
}

/** `@AlertHooks.rateLimit()` -> ALERT_RATE_LIMITED (only when `limited`). */
export interface RateLimitInput {
  alert_id: string;
  ticker?: string | null;
  limited: boolean;
  limit?: number | null;
  window_seconds?: number | null;
}

/** `@AlertHooks.classify()` -> ALERT_CLASSIFIED */
export interface ClassificationInput {
  alert_id: string;
  ticker?: string | null;
  catalyst_type: string;
  score: number;
  keywords_matched?: string[];
  confidence?: number | null;
  sentiment_sources?: unknown;
  classification_version?: string;
}

/** `@AlertHooks.score()` -> ALERT_SCORED */
export interface ScoreInput {
  alert_id: string;
  score: number;
  /** The parts the score was summed from, by name. */
  components?: Record<string, number>;
}

/** `@AlertHooks.decide()` -> ALERT_DECISION_MADE */
export interface DecisionInput {
  alert_id: string;
  decision: z.output<typeof alertDecision>;
  reasoning?: string | null;
  /** Machine-readable reason, e.g. 'score_below_threshold'. */
  reason_code?: string | null;
  score?: number | null;
  min_score_threshold?: number | null;
  override_flags?: string[] | Record<string, unknown> | null;
  signal_id?: string | null;
}

/** `@AlertHooks.send()` -> ALERT_SENT_DISCORD */
export interface SendInput {
  alert_id: string;
  channel?: string | null;
  message_id?: string | null;
}

/** `@AlertHooks.skip()` -> ALERT_SKIPPED */
export interface SkipInput {
  alert_id: string;
  reason: string;
  reason_code?: string | null;
}

/** `@AlertHooks.tradeExecuted()` -> ALERT_TRADE_EXECUTED */
export interface TradeExecutedInput {
  alert_id: string;
  signal_id?: string | null;
  order_id?: string | null;
}

/** Decorator factories. Each returns a method decorator for standard and legacy (experimentalDecorators) decorators alike. */
export const AlertHooks = {
  /**
   * Marks the method that takes in an alert ({@link AlertReceiveInput}); emits ALERT_RECEIVED, before the call when
   * the argument carries `alert_id`.
   */
  receive: (options: HookOptions<AlertReceiveInput> = {}): HookDecorator => hook(ALERT_POINTS.receive, options),
  /** Marks the rate limiter's check ({@link RateLimitInput}); emits ALERT_RATE_LIMITED only when `limited` is true. */
  rateLimit: (options: HookOptions<RateLimitInput> = {}): HookDecorator => hook(ALERT_POINTS.rateLimit, options),
  /** Marks the classifier ({@link ClassificationInput}); emits ALERT_CLASSIFIED, nothing for a null result. */
  classify: (options: HookOptions<ClassificationInput> = {}): HookDecorator => hook(ALERT_POINTS.classify, options),
  /** Marks the scorer ({@link ScoreInput}, or a number); emits ALERT_SCORED, nothing for a null result. */
  score: (options: HookOptions<ScoreInput> = {}): HookDecorator => hook(ALERT_POINTS.score, options),
  /**
   * Marks the decision ({@link DecisionInput}, or `'trade' | 'skip' | 'wait'`); emits ALERT_DECISION_MADE, nothing for
   * a null result.
   */
  decide: (options: HookOptions<DecisionInput> = {}): HookDecorator => hook(ALERT_POINTS.decide, options),
  /** Marks the method that posts the alert ({@link SendInput}); emits ALERT_SENT_DISCORD. */
  send: (options: HookOptions<SendInput> = {}): HookDecorator => hook(ALERT_POINTS.send, options),
  /** Marks the method that drops the alert ({@link SkipInput}); emits ALERT_SKIPPED. */
  skip: (options: HookOptions<SkipInput> = {}): HookDecorator => hook(ALERT_POINTS.skip, options),
  /** Marks the method that places a trade for the alert ({@link TradeExecutedInput}); emits ALERT_TRADE_EXECUTED. */
  tradeExecuted: (options: HookOptions<TradeExecutedInput> = {}): HookDecorator => hook(ALERT_POINTS.tradeExecuted, options),
} as const;
