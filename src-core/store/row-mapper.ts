import type { CorruptEvent, EventMetadata, EventRecord } from '../events/types';

/** A row of event_log with its global position, as the store's SELECTs return it. */
export interface EventRow {
  position: number;
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: string;
  metadata: string | null;
  created_at: number;
  sequence_number: number | null;
}

/** Seed rows may carry NULL metadata; readers still get the seed's full metadata shape. */
const EMPTY_METADATA: Readonly<EventMetadata> = Object.freeze({
  source: 'unknown',
  correlation_id: null,
  causation_id: null,
  user_id: null,
  version: '1.0',
});

/**
 * Metadata as every read returns it: the seed's shape, whatever the row holds (NULL, or an
 * object missing some of the seed's keys). Not a writer's default: the emitter completes
 * metadata before the store writes it.
 */
export function readMetadata(stored: Record<string, unknown> | null | undefined): EventMetadata {
  if (!stored) return { ...EMPTY_METADATA };
  // Every event our emitter wrote already has the five keys: the parsed object is the answer
  // (a copy per row would double a rebuild's allocations for nothing).
  if ('source' in stored && 'correlation_id' in stored && 'causation_id' in stored && 'user_id' in stored && 'version' in stored) {
    return stored as unknown as EventMetadata;
  }
  return { ...EMPTY_METADATA, ...stored };
}

function corrupt(row: EventRow, field: 'payload' | 'metadata', error: unknown): CorruptEvent {
  return {
    corrupt: true,
    position: row.position,
    event_id: row.event_id,
    event_type: row.event_type,
    aggregate_type: row.aggregate_type,
    aggregate_id: row.aggregate_id,
    sequence_number: row.sequence_number,
    created_at: row.created_at,
    field,
    raw_payload: row.payload,
    raw_metadata: row.metadata,
    error: error instanceof Error ? error.message : String(error),
  };
}

/** A parsed JSON value that is an object (not an array, not null): what every read requires of a payload and of metadata. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse a row; a row whose JSON does not parse (or is not an object) comes back flagged as corrupt. */
export function toRecord(row: EventRow): EventRecord {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch (error) {
    return corrupt(row, 'payload', error);
  }
  if (!isJsonObject(payload)) return corrupt(row, 'payload', new Error('payload is not a JSON object'));
  let metadata: EventMetadata;
  if (row.metadata === null || row.metadata === '') {
    metadata = readMetadata(null);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.metadata);
    } catch (error) {
      return corrupt(row, 'metadata', error);
    }
    if (!isJsonObject(parsed)) return corrupt(row, 'metadata', new Error('metadata is not a JSON object'));
    metadata = readMetadata(parsed);
  }
  return {
    position: row.position,
    event_id: row.event_id,
    event_type: row.event_type,
    aggregate_type: row.aggregate_type,
    aggregate_id: row.aggregate_id,
    sequence_number: row.sequence_number ?? 0,
    created_at: row.created_at,
    payload,
    metadata,
  };
}

/**
 * Whether reads will flag this row as corrupt: the one rule for stats, the viewer and the
 * forwarder. SQL can only shortlist (json_valid differs from JSON.parse at the edges, e.g.
 * SQLite's depth limit), so the row mapper decides.
 */
export function isCorruptRow(row: Pick<EventRow, 'payload' | 'metadata'>): boolean {
  return (toRecord({ ...(row as EventRow), position: 0 }) as { corrupt?: true }).corrupt === true;
}

/**
 * SQL that is true for every row reads might flag (and a few they will not: confirm with
 * isCorruptRow). `table` prefixes the columns, e.g. 'e.' inside a join.
 */
export function maybeCorruptSql(table = ''): string {
  const payload = `${table}payload`;
  const metadata = `${table}metadata`;
  // CASE, not AND: SQLite may evaluate both sides of an AND (it does in aggregates), and
  // json_type on text that is not JSON raises "malformed JSON" instead of answering.
  const isObject = (column: string) => `(CASE WHEN json_valid(${column}) THEN json_type(${column}) = 'object' ELSE 0 END)`;
  return `NOT (${isObject(payload)} AND (${metadata} IS NULL OR ${metadata} = '' OR ${isObject(metadata)}))`;
}
