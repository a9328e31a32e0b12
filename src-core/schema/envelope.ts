import type { ValidationIssue } from '../errors';
import { isUuid } from '../events/ids';
import { MAX_ID_LENGTH } from '../events/limits';
import { exceedsBytes, hasLoneSurrogate, inspectJson, isPlainObject, MAX_METADATA_BYTES } from './json-safety';

/** Defined beside the event types (the store checks it too); exported here with the other checks. */
export { MAX_ID_LENGTH };

/** Why `value` cannot be an identifier, or null when it can. */
export function idProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'expected a non-empty string';
  if (value.length > MAX_ID_LENGTH) return `longer than ${MAX_ID_LENGTH} characters (${value.length})`;
  // UTF-8 cannot store a lone surrogate: two such ids would be written as one mangled id.
  if (hasLoneSurrogate(value)) return 'not valid Unicode text (a lone surrogate, which UTF-8 cannot store)';
  return null;
}

/**
 * Checks of everything around the payload: the fields the store indexes and the seed's
 * metadata shape. Written for callers that are plain JavaScript at runtime, so nothing
 * about the input's types is trusted.
 */
export function checkEnvelope(event: Record<string, unknown>, idIsOurs = false): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const key of ['event_type', 'aggregate_type', 'aggregate_id'] as const) {
    const problem = idProblem(event[key]);
    if (problem) issues.push({ path: key, message: problem });
  }
  if (event.event_id !== undefined && !idIsOurs && (typeof event.event_id !== 'string' || !isUuid(event.event_id))) {
    issues.push({ path: 'event_id', message: 'expected a UUID string' });
  }
  if (event.created_at !== undefined && !isNonNegativeInt(event.created_at)) {
    issues.push({ path: 'created_at', message: 'expected Unix milliseconds (a non-negative integer)' });
  }
  if (event.expected_version !== undefined && !isNonNegativeInt(event.expected_version)) {
    issues.push({ path: 'expected_version', message: 'expected a non-negative integer' });
  }
  if (!isPlainObject(event.payload)) {
    issues.push({ path: 'payload', message: `expected a JSON object, received ${describe(event.payload)}` });
  }
  if (event.metadata !== undefined) issues.push(...checkMetadata(event.metadata));
  return issues;
}

function checkMetadata(metadata: unknown): ValidationIssue[] {
  if (!isPlainObject(metadata)) {
    return [{ path: 'metadata', message: `expected a JSON object, received ${describe(metadata)}` }];
  }
  const issues: ValidationIssue[] = [];
  if (metadata.source !== undefined && (typeof metadata.source !== 'string' || metadata.source === '')) {
    issues.push({ path: 'metadata.source', message: 'expected a non-empty string' });
  }
  for (const key of ['correlation_id', 'causation_id', 'user_id'] as const) {
    const value = metadata[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      issues.push({ path: `metadata.${key}`, message: 'expected a string or null' });
    } else if (value.length > MAX_ID_LENGTH) {
      // (A lone surrogate here is reported by the JSON walk below.)
      issues.push({ path: `metadata.${key}`, message: `longer than ${MAX_ID_LENGTH} characters (${value.length})` });
    }
  }
  if (metadata.version !== undefined && typeof metadata.version !== 'string') {
    issues.push({ path: 'metadata.version', message: 'expected a string such as "1.0"' });
  }
  const { issues: jsonIssues, maxBytes } = inspectJson(metadata, 'metadata');
  issues.push(...jsonIssues);
  if (jsonIssues.length === 0 && exceedsBytes(metadata, MAX_METADATA_BYTES, maxBytes) !== false) {
    issues.push({ path: 'metadata', message: `larger than ${MAX_METADATA_BYTES} bytes of JSON` });
  }
  return issues;
}

function isNonNegativeInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
