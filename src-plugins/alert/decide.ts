/**
 * What the alert plugin emits for a hooked call: pure functions of the call's input (and the
 * time), unit-tested without SQLite. Every event continues the alert's chain (and, when it
 * names a signal, may continue the signal's). The plugin keeps no other live state.
 */
import type { ChainRef } from '../../src-core';
import { errorMessage, isoTime, lower, type Input } from '../shared/input';
import { ref, type Decision } from '../shared/plugin-runtime';
import { num, str } from '../shared/reduce-helpers';
import { ALERT_AGGREGATE, type AlertEventType } from './events';

export type AlertDecision = Decision<AlertEventType>;

/** An event on the alert's own chain (plus `links`). */
function onAlert(eventType: AlertEventType, payload: Input, links: readonly (ChainRef | null)[] = []): AlertDecision {
  const alertId = String(payload.alert_id);
  return { eventType, aggregateId: alertId, payload, follow: [ref(ALERT_AGGREGATE, alertId), ...links] };
}

/** An event described by a call's result: also continues the chain of the signal it names. */
function described(eventType: AlertEventType, payload: Input): AlertDecision {
  return onAlert(eventType, payload, [ref('signal', str(payload.signal_id))]);
}

export function decideReceived(input: Input, now: number): AlertDecision {
  return onAlert('ALERT_RECEIVED', { ...input, received_at: isoTime(input.received_at, now) });
}

/** ALERT_RATE_LIMITED: only when the limiter says `limited`; the flag itself is not in the payload. */
export function decideRateLimited(input: Input): AlertDecision | null {
  if (input.limited !== true) return null;
  return rateLimited(input);
}

/** ALERT_RATE_LIMITED for a limiter that threw: the error is the reason. */
export function decideRateLimitError(input: Input, mapped: Input, error: unknown): AlertDecision {
  return rateLimited({ ...input, reason: errorMessage(error), ...mapped });
}

function rateLimited(input: Input): AlertDecision {
  const { limited: _limited, ...rest } = input;
  return onAlert('ALERT_RATE_LIMITED', rest);
}

/** catalyst_type and score are required keys that may be null (an unclassifiable alert). */
export function decideClassified(input: Input): AlertDecision {
  return described('ALERT_CLASSIFIED', { catalyst_type: null, score: null, ...input });
}

export function decideScored(input: Input): AlertDecision {
  return described('ALERT_SCORED', { ...input, score: num(input.score) });
}

/** The decision with what it was decided on (score, threshold, reasoning, reason code, overrides). */
export function decideDecision(input: Input): AlertDecision {
  return described('ALERT_DECISION_MADE', { ...input, decision: lower(input.decision) });
}

export function decideSent(input: Input): AlertDecision {
  return described('ALERT_SENT_DISCORD', input);
}

export function decideSkipped(input: Input): AlertDecision {
  return described('ALERT_SKIPPED', { ...input, reason: str(input.reason) ?? str(input.reason_code) ?? 'unspecified' });
}

export function decideTradeExecuted(input: Input): AlertDecision {
  return described('ALERT_TRADE_EXECUTED', input);
}
