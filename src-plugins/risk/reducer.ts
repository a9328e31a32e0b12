/**
 * The `risk` aggregate (one per book): pass / fail counts per check, the limits last
 * checked against, position and daily-loss limit levels, and the circuit breaker's state
 * and history. Resetting a breaker that is not tripped is recorded as an anomaly.
 */
import type { LeanEvent, ReducerDefinition } from '../../src-core';
import { DEFAULT_HISTORY_WINDOW, num, pushBounded, str, type Anomaly, withAnomaly } from '../shared/reduce-helpers';
import { isEventOf } from '../shared/catalogue';
import { RISK_AGGREGATE, RISK_EVENTS } from './events';

/** 2: `circuit_breaker_history` and `anomalies` are windows. */
export const RISK_REDUCER_VERSION = 2;

/** Recent failures kept on the state by default; the log keeps them all. */
export const RECENT_FAILURES = 100;

/** What a book's state keeps of its history; the log keeps all of it. */
export interface RiskWindows {
  /** Last failed checks in `recent_failures`. */
  recentFailures: number;
  /** Last trips and resets in `circuit_breaker_history`. */
  history: number;
}

/** The windows used when `pluginOptions.risk` sets none: 100 recent failures, 200 breaker history entries. */
export const DEFAULT_RISK_WINDOWS: RiskWindows = { recentFailures: RECENT_FAILURES, history: DEFAULT_HISTORY_WINDOW };

/**
 * A book is one aggregate that grows for as long as the bot trades, so its rebuild is kept
 * bounded by snapshotting it every this many events (a hint the core's snapshot policy reads).
 */
export const DEFAULT_RISK_SNAPSHOT_EVERY = 1_000;

/** Counts and last outcome of one named check, in `RiskState.checks`. */
export interface CheckStats {
  /** Times it passed. */
  passed: number;
  /** Times it failed. */
  failed: number;
  last_result: 'passed' | 'failed';
  last_value: unknown;
  last_limit: unknown;
  last_reason: string | null;
  last_reason_code: string | null;
  last_subject: string | null;
  /** created_at of its last event (Unix ms). */
  last_at: number;
}

/** One failed check, as kept in `recent_failures`. */
export interface RiskFailure {
  check: string;
  subject: string | null;
  value: unknown;
  limit: unknown;
  reason: string | null;
  reason_code: string | null;
  /** The event's created_at (Unix ms). */
  timestamp: number;
}

/** A limit level as recorded: {@link LimitLevel} without `ok`, which emits nothing. */
export type RecordedLimitLevel = 'warning' | 'exceeded';

/** A book's risk as its events leave it (one aggregate per book). Times are Unix ms. */
export interface RiskState {
  book_id: string;
  /** Per check name (`unnamed` when the event gave none). */
  checks: Record<string, CheckStats>;
  /** Passed and failed checks, all names together. */
  totals: { passed: number; failed: number };
  /** The limit each check last compared against, by check name. */
  limits: Record<string, unknown>;
  /** The last position-limit level per ticker (`unknown` when the event gave none). */
  position_limits: Record<string, { level: RecordedLimitLevel; value: number | null; limit: number | null; at: number }>;
  /** The last daily-loss level; null until one is recorded. */
  daily_loss: { level: RecordedLimitLevel; realized_pnl_today: number | null; limit: number | null; at: number } | null;
  /** The breaker now; `since` is when it last changed (null: never), `until` as the trip gave it. */
  circuit_breaker: { state: 'normal' | 'tripped'; reason: string | null; until: unknown; since: number | null };
  circuit_breaker_history: Array<{ action: 'triggered' | 'reset'; reason: string | null; until: unknown; timestamp: number }>;
  recent_failures: RiskFailure[];
  anomalies: Anomaly[];
}

/** The state before any event: no checks or limits recorded, the breaker `normal`. */
export function initialRiskState(bookId: string): RiskState {
  return {
    book_id: bookId,
    checks: {},
    totals: { passed: 0, failed: 0 },
    limits: {},
    position_limits: {},
    daily_loss: null,
    circuit_breaker: { state: 'normal', reason: null, until: null, since: null },
    circuit_breaker_history: [],
    recent_failures: [],
    anomalies: [],
  };
}

/**
 * Applies one event. Pure: returns a new state. A reset of a breaker that is not tripped is
 * applied and adds a `reset_while_not_tripped` anomaly; other events leave the state as it is.
 */
export function reduceRisk(state: RiskState, event: LeanEvent, w: RiskWindows = DEFAULT_RISK_WINDOWS): RiskState {
  const p = event.payload;
  const type = event.event_type;
  if (!isEventOf(RISK_EVENTS, type)) return state;
  switch (type) {
    case 'RISK_CHECK_PASSED':
    case 'RISK_CHECK_FAILED': {
      const passed = event.event_type === 'RISK_CHECK_PASSED';
      const check = str(p.check) ?? 'unnamed';
      const prior = state.checks[check];
      const stats: CheckStats = {
        passed: (prior?.passed ?? 0) + (passed ? 1 : 0),
        failed: (prior?.failed ?? 0) + (passed ? 0 : 1),
        last_result: passed ? 'passed' : 'failed',
        last_value: p.value ?? null,
        last_limit: p.limit ?? null,
        last_reason: str(p.reason),
        last_reason_code: str(p.reason_code),
        last_subject: str(p.subject),
        last_at: event.created_at,
      };
      return {
        ...state,
        checks: { ...state.checks, [check]: stats },
        totals: { passed: state.totals.passed + (passed ? 1 : 0), failed: state.totals.failed + (passed ? 0 : 1) },
        limits: p.limit === undefined || p.limit === null ? state.limits : { ...state.limits, [check]: p.limit },
        recent_failures: passed
          ? state.recent_failures
          : pushBounded(
              state.recent_failures,
              {
                check,
                subject: str(p.subject),
                value: p.value ?? null,
                limit: p.limit ?? null,
                reason: str(p.reason),
                reason_code: str(p.reason_code),
                timestamp: event.created_at,
              },
              w.recentFailures,
            ),
      };
    }
    case 'POSITION_LIMIT_WARNING':
    case 'POSITION_LIMIT_EXCEEDED': {
      const ticker = str(p.ticker) ?? 'unknown';
      const level: RecordedLimitLevel = event.event_type === 'POSITION_LIMIT_WARNING' ? 'warning' : 'exceeded';
      return {
        ...state,
        position_limits: { ...state.position_limits, [ticker]: { level, value: num(p.value), limit: num(p.limit), at: event.created_at } },
        limits: num(p.limit) === null ? state.limits : { ...state.limits, [`position:${ticker}`]: num(p.limit) },
      };
    }
    case 'DAILY_LOSS_LIMIT_WARNING':
    case 'DAILY_LOSS_LIMIT_EXCEEDED': {
      const level: RecordedLimitLevel = event.event_type === 'DAILY_LOSS_LIMIT_WARNING' ? 'warning' : 'exceeded';
      return {
        ...state,
        daily_loss: { level, realized_pnl_today: num(p.realized_pnl_today), limit: num(p.limit), at: event.created_at },
        limits: num(p.limit) === null ? state.limits : { ...state.limits, daily_loss: num(p.limit) },
      };
    }
    case 'CIRCUIT_BREAKER_TRIGGERED':
      return {
        ...state,
        circuit_breaker: { state: 'tripped', reason: str(p.reason), until: p.until ?? null, since: event.created_at },
        circuit_breaker_history: pushBounded(
          state.circuit_breaker_history,
          { action: 'triggered', reason: str(p.reason), until: p.until ?? null, timestamp: event.created_at },
          w.history,
        ),
      };
    case 'CIRCUIT_BREAKER_RESET': {
      const next: RiskState = {
        ...state,
        circuit_breaker: { state: 'normal', reason: null, until: null, since: event.created_at },
        circuit_breaker_history: pushBounded(
          state.circuit_breaker_history,
          { action: 'reset', reason: str(p.reason), until: p.until ?? null, timestamp: event.created_at },
          w.history,
        ),
      };
      return state.circuit_breaker.state === 'tripped' ? next : withAnomaly(next, event, 'reset_while_not_tripped');
    }
  }
}

/** The book lives for ever: its definition carries `snapshotEvery`, so its rebuild stays bounded. */
export type RiskReducer = ReducerDefinition<RiskState>;

/** The book's fold with the given windows and snapshot interval (`pluginOptions.risk`). */
export function createRiskReducer(w: RiskWindows = DEFAULT_RISK_WINDOWS, snapshotEvery = DEFAULT_RISK_SNAPSHOT_EVERY): RiskReducer {
  return {
    aggregateType: RISK_AGGREGATE,
    version: RISK_REDUCER_VERSION,
    // The fold takes LeanEvents (no metadata, no position): rebuilds read neither column.
    leanEvents: true,
    initialState: initialRiskState,
    reduce: (state, event) => reduceRisk(state, event, w),
    snapshotEvery,
  };
}

/** The `risk` fold with the default windows and snapshot interval; the plugin registers {@link configuredRiskReducer}'s. */
export const riskReducer: RiskReducer = createRiskReducer();
