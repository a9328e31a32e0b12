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
import { hook, type HookDecorator, type ChainRef, type HookCall, type PluginContext } from '../../src-core';
import type { HookOptions } from '../shared/hook-options';
import { errorMessage, lower, resolveError, resolveInputs, type Input } from '../shared/input';
import { keysOf, PluginRuntime } from '../shared/plugin-runtime';
import { num, str } from '../shared/reduce-helpers';
import {
  ALERT_AGGREGATE,
  alertClassified,
  alertDecisionMade,
  alertRateLimited,
  alertReceived,
  alertScored,
  alertSentDiscord,
  alertSkipped,
  alertTradeExecuted,
} from './events';

export type { HookOptions, HookPhase, MappedInput } from '../shared/hook-options';

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
  decision: 'trade' | 'skip' | 'wait';
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

export const AlertHooks = {
  receive: (options: HookOptions<AlertReceiveInput> = {}): HookDecorator => hook(ALERT_POINTS.receive, options),
  rateLimit: (options: HookOptions<RateLimitInput> = {}): HookDecorator => hook(ALERT_POINTS.rateLimit, options),
  classify: (options: HookOptions<ClassificationInput> = {}): HookDecorator => hook(ALERT_POINTS.classify, options),
  score: (options: HookOptions<ScoreInput> = {}): HookDecorator => hook(ALERT_POINTS.score, options),
  decide: (options: HookOptions<DecisionInput> = {}): HookDecorator => hook(ALERT_POINTS.decide, options),
  send: (options: HookOptions<SendInput> = {}): HookDecorator => hook(ALERT_POINTS.send, options),
  skip: (options: HookOptions<SkipInput> = {}): HookDecorator => hook(ALERT_POINTS.skip, options),
  tradeExecuted: (options: HookOptions<TradeExecutedInput> = {}): HookDecorator =>
    hook(ALERT_POINTS.tradeExecuted, options),
} as const;

// ---------------------------------------------------------------------------------------
// Handlers: what each hook point emits. Attached by the plugin's register(ctx).

type Call = HookCall<HookOptions<unknown> | undefined>;

const RECEIVE_KEYS = keysOf(alertReceived);
const RATE_KEYS = [...keysOf(alertRateLimited), 'limited'];

/** Attaches the alert plugin's handlers. All state lives in this closure: one per plugin instance. */
export function registerAlertHooks(ctx: PluginContext): PluginRuntime {
  const rt = new PluginRuntime(ctx);
  const receivedBefore = new WeakSet<object>();

  const emitAlert = (eventType: string, input: Input, links: (ChainRef | null)[] = []): void => {
    const alertId = String(input.alert_id);
    rt.emit({
      eventType,
      aggregateType: ALERT_AGGREGATE,
      aggregateId: alertId,
      payload: input,
      follow: [rt.ref(ALERT_AGGREGATE, alertId), ...links],
    });
  };

  /** After the call: one event per input; no id and no result means "nothing happened". */
  const after = (
    point: string,
    eventType: string,
    keys: readonly string[],
    build: (input: Input, result: unknown) => Input | null,
    fromResult: ((result: unknown) => Input) | null = null,
  ): void => {
    ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        if (result === false) return; // the method says it did not happen
        // Hooks that describe their result (fromResult given) have nothing to say without one.
        if (fromResult !== null && (result === null || result === undefined) && call.options?.map === undefined) return;
        for (const raw of resolveInputs(call, result, 'after', keys)) {
          const input = { ...fromResult?.(result), ...raw };
          if ((input.alert_id === undefined || input.alert_id === null) && (result === null || result === undefined)) continue;
          rt.require(eventType, input, ['alert_id']);
          const payload = build(input, result);
          if (payload !== null) emitAlert(eventType, payload, [rt.ref('signal', str(payload.signal_id))]);
        }
      },
    });
  };

  const received = (input: Input): void => emitAlert('ALERT_RECEIVED', { ...input, received_at: rt.iso(input.received_at) });

  ctx.hooks.on<HookOptions<unknown> | undefined>(ALERT_POINTS.receive, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', RECEIVE_KEYS);
      if (input === undefined || typeof input.alert_id !== 'string' || input.alert_id === '') return;
      receivedBefore.add(call);
      received(input);
    },
    after(call: Call, result: unknown) {
      if (receivedBefore.has(call)) return;
      for (const input of resolveInputs(call, result, 'after', RECEIVE_KEYS)) {
        if (input.alert_id === undefined && (result === null || result === undefined)) continue;
        rt.require('ALERT_RECEIVED', input, ['alert_id']);
        received(input);
      }
    },
  });

  const rateLimited = (input: Input): Input => {
    const { limited: _limited, ...rest } = input;
    return rest;
  };
  ctx.hooks.on<HookOptions<unknown> | undefined>(ALERT_POINTS.rateLimit, {
    after(call: Call, result: unknown) {
      const fromResult = typeof result === 'boolean' ? { limited: result } : {};
      for (const raw of resolveInputs(call, result, 'after', RATE_KEYS)) {
        const input = { ...fromResult, ...raw };
        if (input.limited !== true) continue;
        rt.require('ALERT_RATE_LIMITED', input, ['alert_id']);
        emitAlert('ALERT_RATE_LIMITED', rateLimited(input));
      }
    },
    error(call: Call, error: unknown) {
      const [input] = resolveInputs(call, undefined, 'before', RATE_KEYS);
      const mapped = resolveError(call, error);
      if (input === undefined || mapped === null || typeof input.alert_id !== 'string') return;
      emitAlert('ALERT_RATE_LIMITED', rateLimited({ ...input, reason: errorMessage(error), ...mapped }));
    },
  });

  // catalyst_type and score are required keys that may be null (an unclassifiable alert).
  after(
    ALERT_POINTS.classify,
    'ALERT_CLASSIFIED',
    keysOf(alertClassified),
    (input) => ({ catalyst_type: null, score: null, ...input }),
    () => ({}),
  );
  after(
    ALERT_POINTS.score,
    'ALERT_SCORED',
    keysOf(alertScored),
    (input) => ({ ...input, score: num(input.score) }),
    (result) => (typeof result === 'number' ? { score: result } : {}),
  );
  after(
    ALERT_POINTS.decide,
    'ALERT_DECISION_MADE',
    keysOf(alertDecisionMade),
    (input) => ({ ...input, decision: lower(input.decision) }),
    (result) => (typeof result === 'string' ? { decision: result } : {}),
  );
  after(ALERT_POINTS.send, 'ALERT_SENT_DISCORD', keysOf(alertSentDiscord), (input) => input);
  after(ALERT_POINTS.skip, 'ALERT_SKIPPED', keysOf(alertSkipped), (input) => ({
    ...input,
    reason: str(input.reason) ?? str(input.reason_code) ?? 'unspecified',
  }));
  after(ALERT_POINTS.tradeExecuted, 'ALERT_TRADE_EXECUTED', keysOf(alertTradeExecuted), (input) => input);
  return rt;
}
