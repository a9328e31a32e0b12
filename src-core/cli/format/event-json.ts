import type { EventRecord } from '../../events/types';
import { isCorruptEvent } from '../../events/types';

/**
 * An event as the CLI's JSON shows it: the seed's columns (created_at in Unix ms), payload and
 * metadata as objects, and the global position. A corrupt row keeps its raw text instead.
 */
export function eventJson(record: EventRecord): Record<string, unknown> {
  const base = {
    position: record.position,
    event_id: record.event_id,
    event_type: record.event_type,
    aggregate_type: record.aggregate_type,
    aggregate_id: record.aggregate_id,
    sequence_number: record.sequence_number,
    created_at: record.created_at,
  };
  if (isCorruptEvent(record)) {
    return {
      ...base,
      corrupt: true,
      corrupt_field: record.field,
      error: record.error,
      raw_payload: record.raw_payload,
      raw_metadata: record.raw_metadata,
    };
  }
  return { ...base, payload: record.payload, metadata: record.metadata };
}
