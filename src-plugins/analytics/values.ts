/**
 * Payload readers for the analytics fold. A log holds raw JSON from any writer (the seed's
 * bot included), so values are read the way the built-in reducers read them: a number or a
 * numeric string counts, anything else is null, and nothing throws.
 */

export const EPSILON = 1e-9;

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** ISO-8601 UTC, the only form a time takes in analytics output (JSON is a contract). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}
