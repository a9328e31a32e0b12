import type { EventMetadata, NewEvent, PreparedEvent } from '../../src-core';
import { UuidV7Generator } from '../../src-core';

const ids = new UuidV7Generator();

/**
 * What the emitter hands the store, for tests that write through the store directly: the
 * store takes prepared events only (id, time and the seed's full metadata resolved). The
 * defaults here are the test's, as the emitter's are the emitter's.
 */
export function prepared(event: NewEvent, now: number = Date.now()): PreparedEvent {
  const created_at = event.created_at ?? now;
  const metadata: EventMetadata = {
    ...event.metadata,
    source: event.metadata?.source ?? 'test',
    correlation_id: event.metadata?.correlation_id ?? null,
    causation_id: event.metadata?.causation_id ?? null,
    user_id: event.metadata?.user_id ?? null,
    version: event.metadata?.version ?? '1.0',
  };
  return {
    event_id: event.event_id ?? ids.next(created_at),
    event_type: event.event_type,
    aggregate_type: event.aggregate_type,
    aggregate_id: event.aggregate_id,
    payload: event.payload,
    metadata,
    created_at,
    ...(event.expected_version !== undefined ? { expected_version: event.expected_version } : {}),
  };
}

export function preparedAll(events: readonly NewEvent[], now?: number): PreparedEvent[] {
  return events.map((e) => prepared(e, now));
}
