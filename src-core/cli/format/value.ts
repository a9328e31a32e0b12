import type { EventRecord } from '../../events/types';
import { isCorruptEvent } from '../../events/types';
import { singleLine } from './text';

const BARE = /^[\w.\-:/@+]+$/;

/** A value as it reads best inline: bare words and numbers as is, anything else as JSON. */
export function inline(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    // Display only: trim float noise from sums of prices (113.70000000000005 -> 113.7).
    return (
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v)) ??
      unjsonable(value)
    );
  } catch {
    return unjsonable(value);
  }
}

/** What JSON cannot write (a bigint, a symbol, a function, a circular object): its primitive text, or an object's tag. */
function unjsonable(value: unknown): string {
  return typeof value === 'object' && value !== null ? Object.prototype.toString.call(value) : String(value);
}

/**
 * `ticker=AAPL side=buy quantity=100`: the payload in key order, minus the key that only
 * repeats the aggregate id (`order_id` on an order event), one line, untruncated.
 */
export function payloadPreview(record: EventRecord): string {
  if (isCorruptEvent(record)) return `${record.field}: ${record.error}`;
  const own = `${record.aggregate_type}_id`;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(record.payload)) {
    if (key === own && value === record.aggregate_id) continue;
    if (value === null || value === undefined) continue;
    parts.push(`${key}=${inline(value)}`);
  }
  return singleLine(parts.join(' '));
}

/** `order:ord-1#3` */
export function aggregateLabel(record: { aggregate_type: string; aggregate_id: string; sequence_number: number | null }): string {
  return `${record.aggregate_type}:${record.aggregate_id}#${record.sequence_number ?? '?'}`;
}
