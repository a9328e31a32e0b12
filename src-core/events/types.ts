/**
 * The event envelope, as the seed's `event_log` table stores it. Field names are the
 * seed's (snake_case) because they are the on-disk and JSON contract.
 */

/** A JSON scalar. */
export type JsonPrimitive = string | number | boolean | null;
/** Any value `JSON.stringify` writes and `JSON.parse` reads back unchanged. */
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
/** An event's payload: a plain object. Each event type's schema says what it holds. */
export type Payload = Record<string, unknown>;

/** The seed's metadata object; extra keys (e.g. `run_id`) are allowed and kept. */
export interface EventMetadata {
  source: string;
  correlation_id: string | null;
  causation_id: string | null;
  user_id: string | null;
  /** Schema version of the payload. The seed writes "1.0". */
  version: string;
  [key: string]: unknown;
}

/** An event as read back from a log. */
export interface StoredEvent<P extends Payload = Payload> {
  /**
   * Global position in the log: stable across VACUUM, gap-tolerant, strictly increasing
   * in commit order. On a seed-written file that has no position table, the rowid.
   */
  position: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence_number: number;
  /** Unix ms, UTC. */
  created_at: number;
  payload: P;
  metadata: EventMetadata;
}

/** A row whose JSON could not be parsed. Reads return it instead of throwing. */
export interface CorruptEvent {
  corrupt: true;
  position: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  sequence_number: number | null;
  created_at: number;
  /** Which column failed to parse. */
  field: 'payload' | 'metadata';
  raw_payload: string;
  raw_metadata: string | null;
  error: string;
}

/** What a read yields per row: the event, or a {@link CorruptEvent} when its JSON does not parse. */
export type EventRecord = StoredEvent | CorruptEvent;

/** Whether a read row is a {@link CorruptEvent} (its JSON did not parse) rather than a {@link StoredEvent}. */
export function isCorruptEvent(record: EventRecord): record is CorruptEvent {
  return (record as CorruptEvent).corrupt === true;
}

/** What a writer hands to the store. Everything but type, aggregate and payload has a default. */
export interface NewEvent<P extends Payload = Payload> {
  /** Defaults to a fresh UUIDv7 (time-ordered, a valid seed-format id). */
  event_id?: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: P;
  metadata?: Partial<EventMetadata>;
  /** Unix ms UTC; defaults to the injected clock. */
  created_at?: number;
  /**
   * Optimistic concurrency: the aggregate's current version (last sequence number, 0 for a
   * new aggregate) the writer based this event on. Omit to append unconditionally.
   */
  expected_version?: number;
}

/** An event fully formed before it is written: ids, time and metadata resolved. */
export interface PreparedEvent<P extends Payload = Payload> {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: P;
  metadata: EventMetadata;
  created_at: number;
  expected_version?: number;
}
