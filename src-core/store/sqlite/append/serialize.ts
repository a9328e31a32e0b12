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
      metadataJson = seedMetadataJson(metadata) ?? JSON.stringify(metadata);
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

const SEED_KEYS = ['source', 'correlation_id', 'causation_id', 'user_id', 'version'] as const;

/**
 * JSON.stringify's text for metadata that holds exactly the seed's five keys, in the seed's
 * order, each text or null (what the emitter completes for every event that brings none of its
 * own), built from the five strings. A generic stringify of this small object costs more than
 * its values; null for any other metadata.
 */
function seedMetadataJson(metadata: Record<string, unknown>): string | null {
  let i = 0;
  for (const key in metadata) if (key !== SEED_KEYS[i++]) return null;
  if (i !== SEED_KEYS.length) return null;
  const { source, correlation_id, causation_id, user_id, version } = metadata;
  if (typeof source !== 'string' || typeof version !== 'string') return null;
  const correlation = textOrNull(correlation_id);
  const causation = textOrNull(causation_id);
  const user = textOrNull(user_id);
  if (correlation === undefined || causation === undefined || user === undefined) return null;
  return `{"source":${JSON.stringify(source)},"correlation_id":${correlation},"causation_id":${causation},"user_id":${user},"version":${JSON.stringify(version)}}`;
}

function textOrNull(value: unknown): string | undefined {
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : undefined;
}
