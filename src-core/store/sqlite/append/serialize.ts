import type { Clock } from '../../../clock/clock';
import { ValidationError } from '../../../errors';
import type { UuidV7Generator } from '../../../events/ids';
import { MAX_ID_LENGTH } from '../../../events/limits';
import type { EventMetadata, PreparedEvent } from '../../../events/types';
import { readMetadata } from '../../row-mapper';

/** A prepared event with its JSON text, ready for the INSERT. */
export interface InsertRow {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  payloadJson: string;
  /** As a read will return it (the row mapper's rule), so a receipt equals a later read. */
  metadata: EventMetadata;
  /** null only when an untyped caller gave none: stored as NULL, as the seed allows. */
  metadataJson: string | null;
  created_at: number;
  expected_version: number | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An identifier the indexes hold: a non-empty string of bounded length. */
function checkId(e: PreparedEvent, path: 'event_type' | 'aggregate_type' | 'aggregate_id'): void {
  const value: unknown = e[path];
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(String(e.event_type), [{ path, message: 'must be a non-empty string' }]);
  }
  if (value.length > MAX_ID_LENGTH) {
    throw new ValidationError(String(e.event_type).slice(0, 64), [
      { path, message: `longer than ${MAX_ID_LENGTH} characters (${value.length})` },
    ]);
  }
}

/**
 * Checks what the database relies on and serializes. The metadata is written as the emitter
 * completed it: the store adds no defaults of its own. Only identity may be missing, and
 * only from untyped callers (scripts, tests): a fresh id and the clock's time then.
 */
export function toInsertRow(e: PreparedEvent, clock: Clock, ids: UuidV7Generator): InsertRow {
  checkId(e, 'event_type');
  checkId(e, 'aggregate_type');
  checkId(e, 'aggregate_id');
  const created_at = (e.created_at as number | undefined) ?? clock.now();
  if (!Number.isSafeInteger(created_at)) {
    throw new ValidationError(e.event_type, [{ path: 'created_at', message: 'must be an integer Unix ms time' }]);
  }
  const event_id = (e.event_id as string | undefined) ?? ids.next(created_at);
  if (typeof event_id !== 'string' || event_id.length === 0) {
    throw new ValidationError(e.event_type, [{ path: 'event_id', message: 'must be a non-empty string' }]);
  }
  let payloadJson: string;
  try {
    payloadJson = JSON.stringify(e.payload);
  } catch (error) {
    throw new ValidationError(e.event_type, [{ path: 'payload', message: `not JSON-serializable: ${(error as Error).message}` }]);
  }
  if (typeof payloadJson !== 'string' || !payloadJson.startsWith('{')) {
    throw new ValidationError(e.event_type, [{ path: 'payload', message: 'must be a JSON object' }]);
  }
  const metadata = e.metadata as EventMetadata | undefined;
  let metadataJson: string | null = null;
  if (metadata !== undefined && metadata !== null) {
    if (!isPlainObject(metadata)) {
      throw new ValidationError(e.event_type, [{ path: 'metadata', message: 'must be a JSON object' }]);
    }
    try {
      metadataJson = JSON.stringify(metadata);
    } catch (error) {
      throw new ValidationError(e.event_type, [{ path: 'metadata', message: `not JSON-serializable: ${(error as Error).message}` }]);
    }
  }
  return {
    event_id,
    event_type: e.event_type,
    aggregate_type: e.aggregate_type,
    aggregate_id: e.aggregate_id,
    payload: e.payload,
    payloadJson,
    metadata: readMetadata(metadata),
    metadataJson,
    created_at,
    expected_version: e.expected_version,
  };
}
