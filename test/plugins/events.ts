import { expect } from 'vitest';
import type { Payload, ReducerDefinition, StoredEvent } from '../../src-core';

/** Builds StoredEvents for one aggregate with consecutive sequence numbers and given times. */
export function stream(aggregateType: string, aggregateId: string, start = 1_700_000_000_000) {
  let seq = 0;
  return (eventType: string, payload: Payload, atSeconds = seq): StoredEvent => {
    seq += 1;
    return {
      position: seq,
      event_id: `${aggregateId}-e${seq}`,
      event_type: eventType,
      aggregate_type: aggregateType,
      aggregate_id: aggregateId,
      sequence_number: seq,
      created_at: start + atSeconds * 1000,
      payload,
      metadata: { source: 'test', correlation_id: null, causation_id: null, user_id: null, version: '1.0' },
    };
  };
}

export function fold<S>(reducer: ReducerDefinition<S>, id: string, events: readonly StoredEvent[]): S {
  return events.reduce((state, event) => reducer.reduce(state, event), reducer.initialState(id));
}

/** Deep-freezes a value, so a reducer that mutates its input state throws in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Folds while freezing every intermediate state (proves purity: no input mutation), and
 * checks the result survives JSON (snapshots store states as JSON).
 */
export function foldFrozen<S>(reducer: ReducerDefinition<S>, id: string, events: readonly StoredEvent[]): S {
  const state = events.reduce((s, event) => deepFreeze(reducer.reduce(deepFreeze(s), deepFreeze(event))), reducer.initialState(id));
  expect(JSON.parse(JSON.stringify(state))).toStrictEqual(state);
  return state;
}
