/**
 * Payload readers for the analytics fold. A log holds raw JSON from any writer (the seed's
 * bot included), so values are read the way the built-in reducers read them: a number or a
 * numeric string counts, anything else is null, and nothing throws.
 */

export { EPSILON, num, str } from '../shared/reduce-helpers';

/** ISO-8601 UTC, the only form a time takes in analytics output (JSON is a contract). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}
