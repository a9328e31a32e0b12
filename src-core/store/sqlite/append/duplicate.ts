import { DuplicateEventError } from '../../../errors';
import { markRepeat } from '../../../events/repeat';
import { isCorruptEvent, type StoredEvent } from '../../../events/types';
import type { GetEvent } from '../read/get-event';
import type { InsertRow } from './serialize';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Idempotency on event_id: the same event again returns the stored one; the same id with
 * other content (payload, created_at, metadata included) is a DuplicateEventError naming
 * what differs. null when the id is new.
 */
export function existingDuplicate(getEvent: GetEvent, row: InsertRow): StoredEvent | null {
  const stored = getEvent.sync(row.event_id);
  if (!stored) return null;
  const differs: string[] = [];
  if (stored.event_type !== row.event_type) differs.push('event_type');
  if (stored.aggregate_type !== row.aggregate_type || stored.aggregate_id !== row.aggregate_id) differs.push('aggregate');
  if (isCorruptEvent(stored) || !deepEqual(stored.payload, row.payload)) differs.push('payload');
  // The rest of the event too: a "repeat" with another time or metadata would otherwise be
  // acknowledged with values the log does not hold. (A retry gives the same created_at.)
  if (!isCorruptEvent(stored) && stored.created_at !== row.created_at) differs.push('created_at');
  if (!isCorruptEvent(stored) && !deepEqual(stored.metadata, row.metadata)) differs.push('metadata');
  if (differs.length > 0) throw new DuplicateEventError(row.event_id, `${differs.join(', ')} differ`);
  return markRepeat(stored as StoredEvent);
}
