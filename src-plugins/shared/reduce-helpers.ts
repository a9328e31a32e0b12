/**
 * Small, pure helpers the built-in reducers share. Payloads are read defensively: a
 * reducer sees raw JSON from any writer (the seed's bot included) and must never throw.
 */
import type { LeanEvent } from '../../src-core';

/** Something a reducer could not apply as given; kept on the state instead of thrown. */
export interface Anomaly {
  sequence_number: number;
  event_id: string;
  event_type: string;
  reason: string;
  detail?: Record<string, unknown>;
}

export function anomaly(event: LeanEvent, reason: string, detail?: Record<string, unknown>): Anomaly {
  const base: Anomaly = {
    sequence_number: event.sequence_number,
    event_id: event.event_id,
    event_type: event.event_type,
    reason,
  };
  return detail ? { ...base, detail } : base;
}

/** Anomalies kept on a state, the latest; the log keeps every event they came from. */
export const ANOMALY_WINDOW = 100;

/** The state with one more anomaly, in a new array (reducers never mutate), at most ANOMALY_WINDOW of them. */
export function withAnomaly<S extends { anomalies: readonly Anomaly[] }>(
  state: S,
  event: LeanEvent,
  reason: string,
  detail?: Record<string, unknown>,
): S {
  return { ...state, anomalies: pushBounded(state.anomalies, anomaly(event, reason, detail), ANOMALY_WINDOW) };
}

/** A finite number, or a numeric string (some writers quote decimals); otherwise null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The payload value for `key` if present (even null), else `fallback`: Python's dict.get(key, fallback). */
export function get<T>(payload: Record<string, unknown>, key: string, fallback: T): unknown {
  return Object.prototype.hasOwnProperty.call(payload, key) ? payload[key] : fallback;
}

/** Tolerance for float comparisons on quantities. */
export const EPSILON = 1e-9;

/**
 * Append to a window of the last `max` entries without mutating it (the oldest dropped).
 * Reducers are pure (their input states may be frozen, and replay keeps every step), so the
 * append copies the window: at most `max` elements per event, whatever the log's length.
 */
export function pushBounded<T>(list: readonly T[], item: T, max: number): T[] {
  if (max <= 0) return [];
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}

/** Default size of the history windows a built-in state keeps (`pluginOptions.<name>.historyWindow`). */
export const DEFAULT_HISTORY_WINDOW = 200;
