import type { CorruptEvent, StoredEvent } from '../events/types';
import type { LeanEvent } from '../store/types';
import type { ReducerDefinition } from './types';
import type { RebuildAnomaly } from './types';

/** What the rebuilder needs from the schema registry; absent or without upcast: events as stored. */
export interface UpcastSource {
  /** The event as its current schema version describes it; a throw is recorded as an `upcast_failed` anomaly. */
  upcast?(stored: StoredEvent): StoredEvent;
  /**
   * Optional: the event types with upcasters, the only ones upcast changes. Without any the
   * fold skips upcast, and a lean read keeps only their metadata.
   */
  upcastTypes?(): readonly string[];
}

/** Where {@link foldRecords} starts: a state and the event it stands at. */
export interface FoldStart<S, E extends LeanEvent = StoredEvent> {
  state: S;
  /** Sequence the state is at (0: initial state). */
  version: number;
  /** The event `state` stands at; null at the initial state. */
  lastEvent: E | null;
}

/** What {@link foldRecords} ends with: state, version and last event, and what it met on the way. */
export interface FoldOutcome<S, E extends LeanEvent = StoredEvent> extends FoldStart<S, E> {
  /** Events the reducer applied (not counting those it could not). */
  eventsApplied: number;
  /** Sequence gaps, failed upcasts and reducer throws, in the order met. */
  anomalies: RebuildAnomaly[];
  /** Rows whose JSON did not parse: skipped. */
  corrupt: CorruptEvent[];
}

/** One event as the fold applied it, handed to `onStep`. */
export interface FoldStep<S, E extends LeanEvent = StoredEvent> {
  /** The event as handed to the reducer (upcast, unless its upcaster threw). */
  event: E;
  before: S;
  /** The state after the event; `before` itself when `anomaly` says it could not be applied. */
  after: S;
  /** Why the event could not be applied (an upcast or reducer throw); null when it was. */
  anomaly: RebuildAnomaly | null;
}

export interface FoldOptions<S, E extends LeanEvent = StoredEvent> {
  upcaster?: UpcastSource | undefined;
  /**
   * Called per event. Set it only when the caller keeps the states: each event is then
   * reduced on a clone, so a reducer that mutates in place cannot rewrite earlier steps.
   */
  onStep?: (step: FoldStep<S, E>) => void;
}

function anomaly(event: LeanEvent, kind: RebuildAnomaly['kind'], error: unknown): RebuildAnomaly {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    event_id: event.event_id,
    sequence_number: event.sequence_number,
    event_type: event.event_type,
    kind,
    reason,
  };
}

/**
 * Folds records (in sequence order) over a starting state. Never throws because of the
 * data: corrupt rows are collected, an upcaster or reducer that throws leaves the state as
 * it was and is recorded as an anomaly, and a hole in the sequence is reported. `records` may
 * be a stream (the store's row iterator): the fold holds one event at a time. Lean events
 * (no metadata, no position) are for a reducer that declared `leanEvents`.
 */
export function foldRecords<S, E extends LeanEvent = StoredEvent>(
  reducer: ReducerDefinition<S>,
  start: FoldStart<S, E>,
  records: Iterable<E | CorruptEvent>,
  options: FoldOptions<S, E> = {},
): FoldOutcome<S, E> {
  const { upcaster, onStep } = options;
  const upcast = typeof upcaster?.upcast === 'function' ? upcaster.upcast.bind(upcaster) : null;
  let { state, version, lastEvent } = start;
  let expected = version + 1;
  let eventsApplied = 0;
  const anomalies: RebuildAnomaly[] = [];
  const corrupt: CorruptEvent[] = [];

  for (const record of records) {
    if ((record as CorruptEvent).corrupt === true) {
      const row = record as CorruptEvent;
      corrupt.push(row);
      if (row.sequence_number !== null) expected = row.sequence_number + 1;
      continue;
    }
    let event = record as E;
    if (event.sequence_number !== expected) {
      anomalies.push(anomaly(event, 'sequence_gap', `expected sequence ${expected}, found ${event.sequence_number}`));
    }
    expected = event.sequence_number + 1;
    version = event.sequence_number;

    let problem: RebuildAnomaly | null = null;
    const before = state;
    let after = state;
    if (upcast) {
      try {
        // A lean event of an upcast type carries its metadata (the version the upcaster reads).
        event = upcast(event as unknown as StoredEvent) as unknown as E;
      } catch (error) {
        problem = anomaly(event, 'upcast_failed', error);
      }
    }
    if (!problem) {
      try {
        // A lean event reaches only a reducer that declared it reads neither metadata nor position.
        after = reducer.reduce(onStep ? structuredClone(before) : before, event as unknown as StoredEvent);
        eventsApplied++;
      } catch (error) {
        problem = anomaly(event, 'reducer_threw', error);
        after = before;
      }
    }
    if (problem) anomalies.push(problem);
    lastEvent = event;
    state = after;
    onStep?.({ event, before, after, anomaly: problem });
  }
  return { state, version, lastEvent, eventsApplied, anomalies, corrupt };
}
