import type { CorruptEvent, EventRecord, StoredEvent } from '../events/types';
import { isCorruptEvent } from '../events/types';
import type { ReducerDefinition } from './types';
import type { RebuildAnomaly } from './types';

/** What the rebuilder needs from the schema registry; absent or without upcast: events as stored. */
export interface UpcastSource {
  upcast?(stored: StoredEvent): StoredEvent;
}

export interface FoldStart<S> {
  state: S;
  /** Sequence the state is at (0: initial state). */
  version: number;
  lastEvent: StoredEvent | null;
}

export interface FoldOutcome<S> extends FoldStart<S> {
  eventsApplied: number;
  anomalies: RebuildAnomaly[];
  corrupt: CorruptEvent[];
}

export interface FoldStep<S> {
  event: StoredEvent;
  before: S;
  after: S;
  anomaly: RebuildAnomaly | null;
}

export interface FoldOptions<S> {
  upcaster?: UpcastSource | undefined;
  /**
   * Called per event. Set it only when the caller keeps the states: each event is then
   * reduced on a clone, so a reducer that mutates in place cannot rewrite earlier steps.
   */
  onStep?: (step: FoldStep<S>) => void;
}

function anomaly(event: StoredEvent, kind: RebuildAnomaly['kind'], error: unknown): RebuildAnomaly {
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
 * be a stream (the store's row iterator): the fold holds one event at a time.
 */
export function foldRecords<S>(
  reducer: ReducerDefinition<S>,
  start: FoldStart<S>,
  records: Iterable<EventRecord>,
  options: FoldOptions<S> = {},
): FoldOutcome<S> {
  const { upcaster, onStep } = options;
  const upcast = typeof upcaster?.upcast === 'function' ? upcaster.upcast.bind(upcaster) : null;
  let { state, version, lastEvent } = start;
  let expected = version + 1;
  let eventsApplied = 0;
  const anomalies: RebuildAnomaly[] = [];
  const corrupt: CorruptEvent[] = [];

  for (const record of records) {
    if (isCorruptEvent(record)) {
      corrupt.push(record);
      if (record.sequence_number !== null) expected = record.sequence_number + 1;
      continue;
    }
    if (record.sequence_number !== expected) {
      anomalies.push(anomaly(record, 'sequence_gap', `expected sequence ${expected}, found ${record.sequence_number}`));
    }
    expected = record.sequence_number + 1;
    version = record.sequence_number;

    let event = record;
    let problem: RebuildAnomaly | null = null;
    const before = state;
    let after = state;
    if (upcast) {
      try {
        event = upcast(record);
      } catch (error) {
        problem = anomaly(record, 'upcast_failed', error);
      }
    }
    if (!problem) {
      try {
        after = reducer.reduce(onStep ? structuredClone(before) : before, event);
        eventsApplied++;
      } catch (error) {
        problem = anomaly(record, 'reducer_threw', error);
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
