/**
 * The `alert` aggregate: received -> classified -> scored -> decided (trade / skip / wait)
 * -> executed or skipped; or rate limited. Each step keeps what it was decided on. An event
 * that arrives after a later stage (a classification after the decision) is still recorded,
 * with an anomaly; the status never moves backwards. A 'wait' decision may be followed by
 * another decision: every decision is kept in `decisions`.
 */
import type { LeanEvent, ReducerDefinition } from '../../src-core';
import { DEFAULT_HISTORY_WINDOW, num, pushBounded, str, type Anomaly, withAnomaly } from '../shared/reduce-helpers';
import { isEventOf } from '../shared/catalogue';
import { ALERT_AGGREGATE, ALERT_EVENTS, type AlertEventType } from './events';

/** 2: `history`, `decisions`, `discord`, `order_ids` and `anomalies` are windows. */
export const ALERT_REDUCER_VERSION = 2;

/** Entries kept in an alert's `history`, `decisions`, `discord` and `order_ids`; the log keeps all. */
export interface AlertWindows {
  history: number;
}

/** The windows used when `pluginOptions.alert.historyWindow` is not set: 200 entries. */
export const DEFAULT_ALERT_WINDOWS: AlertWindows = { history: DEFAULT_HISTORY_WINDOW };

/**
 * The stage an alert has reached. It only moves forward; `rate_limited`, `executed` and
 * `skipped` are final.
 */
export type AlertStatus = 'unknown' | 'received' | 'classified' | 'scored' | 'decided' | 'rate_limited' | 'executed' | 'skipped';

const RANK: Record<AlertStatus, number> = {
  unknown: 0,
  received: 1,
  classified: 2,
  scored: 3,
  decided: 4,
  rate_limited: 5,
  executed: 5,
  skipped: 5,
};

const STATUS_OF: { readonly [K in AlertEventType]?: AlertStatus } = {
  ALERT_RECEIVED: 'received',
  ALERT_RATE_LIMITED: 'rate_limited',
  ALERT_CLASSIFIED: 'classified',
  ALERT_SCORED: 'scored',
  ALERT_DECISION_MADE: 'decided',
  ALERT_TRADE_EXECUTED: 'executed',
  ALERT_SKIPPED: 'skipped',
};

/** One ALERT_DECISION_MADE, as kept in `decision` and `decisions`. */
export interface AlertDecisionRecord {
  /** `trade`, `skip` or `wait`, as written. */
  decision: string | null;
  reasoning: string | null;
  reason_code: string | null;
  score: number | null;
  min_score_threshold: number | null;
  override_flags: unknown;
  signal_id: string | null;
  /** The event's created_at (Unix ms). */
  decided_at: number;
}

/** An alert as its events leave it. Times are Unix ms; an out-of-order event adds to `anomalies`. */
export interface AlertState {
  alert_id: string;
  status: AlertStatus;
  ticker: string | null;
  headline: string | null;
  source: string | null;
  url: string | null;
  /** The payload's `received_at` as written (a string or a number); the event's created_at when absent. */
  received_at: unknown;
  rate_limit: { limit: number | null; window_seconds: number | null; reason: string | null } | null;
  classification: {
    catalyst_type: string | null;
    score: number | null;
    keywords_matched: unknown;
    confidence: number | null;
    sentiment_sources: unknown;
    classification_version: string | null;
  } | null;
  score: number | null;
  score_components: unknown;
  /** The latest decision; the last `historyWindow` of them in `decisions`. */
  decision: AlertDecisionRecord | null;
  decisions: AlertDecisionRecord[];
  signal_id: string | null;
  order_ids: string[];
  executed_at: number | null;
  skip: { reason: string | null; reason_code: string | null; skipped_at: number } | null;
  discord: Array<{ channel: string | null; message_id: string | null; timestamp: number }>;
  /** Every `ALERT_` event seen, unknown types included (the last `historyWindow`). */
  history: Array<{ event_type: string; timestamp: number }>;
  anomalies: Anomaly[];
}

/** The state before any event: status `unknown`, every field empty. */
export function initialAlertState(alertId: string): AlertState {
  return {
    alert_id: alertId,
    status: 'unknown',
    ticker: null,
    headline: null,
    source: null,
    url: null,
    received_at: null,
    rate_limit: null,
    classification: null,
    score: null,
    score_components: null,
    decision: null,
    decisions: [],
    signal_id: null,
    order_ids: [],
    executed_at: null,
    skip: null,
    discord: [],
    history: [],
    anomalies: [],
  };
}

/**
 * Applies one event. Pure: returns a new state. An event of an earlier stage, or a repeat of
 * the current one (other than a new decision or another execution), is still applied, with
 * an `out_of_order` anomaly and the status kept. An `ALERT_` type outside the catalogue is only added to
 * `history`; other events leave the state as it is.
 */
export function reduceAlert(previous: AlertState, event: LeanEvent, w: AlertWindows = DEFAULT_ALERT_WINDOWS): AlertState {
  if (!event.event_type.startsWith('ALERT_')) return previous;
  let state: AlertState = {
    ...previous,
    history: pushBounded(previous.history, { event_type: event.event_type, timestamp: event.created_at }, w.history),
  };
  const type = event.event_type;
  // Any ALERT_ type is kept in the history (a newer writer's too); the catalogue's are applied.
  if (!isEventOf(ALERT_EVENTS, type)) return state;
  const target = STATUS_OF[type];
  if (target !== undefined) {
    const from = RANK[state.status];
    const to = RANK[target];
    // Stages only move forward. A decision may be made again (after a 'wait'), and one
    // alert may execute more than one order; every other repeat is out of order.
    const repeatable = (target === 'decided' || target === 'executed') && target === state.status;
    const backwards = to < from || (to === from && !repeatable);
    if (backwards) {
      state = withAnomaly(state, event, 'out_of_order', { from: state.status });
    } else {
      state = { ...state, status: target };
    }
  }
  const p = event.payload;
  switch (type) {
    case 'ALERT_RECEIVED':
      return {
        ...state,
        ticker: str(p.ticker) ?? state.ticker,
        headline: str(p.headline),
        source: str(p.source),
        url: str(p.url),
        received_at: p.received_at ?? event.created_at,
      };
    case 'ALERT_RATE_LIMITED':
      return {
        ...state,
        ticker: state.ticker ?? str(p.ticker),
        rate_limit: { limit: num(p.limit), window_seconds: num(p.window_seconds), reason: str(p.reason) },
      };
    case 'ALERT_CLASSIFIED':
      return {
        ...state,
        ticker: state.ticker ?? str(p.ticker),
        classification: {
          catalyst_type: str(p.catalyst_type),
          score: num(p.score),
          keywords_matched: p.keywords_matched ?? null,
          confidence: num(p.confidence),
          sentiment_sources: p.sentiment_sources ?? null,
          classification_version: str(p.classification_version),
        },
        score: num(p.score) ?? state.score,
      };
    case 'ALERT_SCORED':
      return { ...state, score: num(p.score), score_components: p.components ?? null };
    case 'ALERT_DECISION_MADE': {
      const record: AlertDecisionRecord = {
        decision: str(p.decision),
        reasoning: str(p.reasoning),
        reason_code: str(p.reason_code),
        score: num(p.score),
        min_score_threshold: num(p.min_score_threshold),
        override_flags: p.override_flags ?? null,
        signal_id: str(p.signal_id),
        decided_at: event.created_at,
      };
      return {
        ...state,
        decision: record,
        decisions: pushBounded(state.decisions, record, w.history),
        signal_id: record.signal_id ?? state.signal_id,
      };
    }
    case 'ALERT_TRADE_EXECUTED': {
      const orderId = str(p.order_id);
      return {
        ...state,
        signal_id: str(p.signal_id) ?? state.signal_id,
        order_ids: orderId && !state.order_ids.includes(orderId) ? pushBounded(state.order_ids, orderId, w.history) : state.order_ids,
        executed_at: state.executed_at ?? event.created_at,
      };
    }
    case 'ALERT_SKIPPED':
      return { ...state, skip: { reason: str(p.reason), reason_code: str(p.reason_code), skipped_at: event.created_at } };
    case 'ALERT_SENT_DISCORD':
      return {
        ...state,
        discord: pushBounded(
          state.discord,
          { channel: str(p.channel), message_id: str(p.message_id), timestamp: event.created_at },
          w.history,
        ),
      };
  }
}

/** The alert fold with the given windows (`pluginOptions.alert.historyWindow`). */
export function createAlertReducer(w: AlertWindows = DEFAULT_ALERT_WINDOWS): ReducerDefinition<AlertState> {
  return {
    aggregateType: ALERT_AGGREGATE,
    version: ALERT_REDUCER_VERSION,
    // The fold takes LeanEvents (no metadata, no position): rebuilds read neither column.
    leanEvents: true,
    initialState: initialAlertState,
    reduce: (state, event) => reduceAlert(state, event, w),
    // Not 'decided': a 'wait' decision may still be executed later.
    isTerminal: (state) => state.status === 'executed' || state.status === 'skipped' || state.status === 'rate_limited',
  };
}

/** The `alert` fold with the default windows; the plugin registers {@link configuredAlertReducer}'s. */
export const alertReducer: ReducerDefinition<AlertState> = createAlertReducer();

/** The `alert` fold's definition. */
export type AlertReducer = ReducerDefinition<AlertState>;
