import type { ValidationIssue } from '../errors';

/**
 * Limits on what one event may carry. A bot that logs a whole order book into one payload
 * would bloat every read of that aggregate; these bounds make that fail loudly at emit.
 */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_METADATA_BYTES = 16 * 1024;
/**
 * Deepest nesting of objects and arrays an event may carry. A trading payload is a few levels
 * deep; a bound keeps every recursive step (zod, merging, SQLite's JSON functions, whose own
 * limit is 1000) far from its limit, so a hostile payload is a ValidationError, not a RangeError.
 */
export const MAX_JSON_DEPTH = 64;
/** The message findJsonIssues reports past MAX_JSON_DEPTH. */
export const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/** `payload` + `legs` + 0 -> `payload.legs[0]`; the format every ValidationIssue path uses. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base ? `${base}.${key}` : key;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Every place in `value` that JSON cannot carry faithfully. `JSON.stringify` would silently
 * turn these into null, {} or nothing, so the stored event would not be the emitted one.
 * An object property that is `undefined` is allowed: it is an absent optional key.
 */
export function findJsonIssues(value: unknown, path: string): ValidationIssue[] {
  return inspectJson(value, path).issues;
}

/**
 * findJsonIssues, plus an upper bound on the UTF-8 size of `JSON.stringify(value)` gathered on
 * the same walk (every string char counted as a 6-byte escape), so the size limit needs an
 * exact (second) serialization only for payloads near it.
 */
export function inspectJson(value: unknown, path: string): { issues: ValidationIssue[]; maxBytes: number } {
  const w: Walk = { base: path, keys: [], ancestors: [], issues: [], maxBytes: 0 };
  walk(value, w);
  return { issues: w.issues, maxBytes: w.maxBytes };
}

/** Whether `value`'s JSON exceeds `limit` bytes; exact, but serializes only when the bound says it might. */
export function exceedsBytes(value: unknown, limit: number, maxBytes: number): number | false {
  if (maxBytes <= limit) return false;
  const bytes = serializedBytes(value);
  return bytes > limit ? bytes : false;
}

interface Walk {
  base: string;
  /** Keys from the base to the current value; joined into a path only when reporting. */
  keys: (string | number)[];
  ancestors: object[];
  issues: ValidationIssue[];
  /** Upper bound on the JSON text's UTF-8 bytes so far. */
  maxBytes: number;
}

function report(w: Walk, message: string): void {
  w.issues.push({ path: w.keys.reduce<string>((p, k) => joinPath(p, k), w.base), message });
}

function walk(value: unknown, w: Walk): void {
  switch (typeof value) {
    case 'string':
      w.maxBytes += value.length * 6 + 2;
      return;
    case 'boolean':
      w.maxBytes += 5;
      return;
    case 'number':
      w.maxBytes += 24;
      if (!Number.isFinite(value)) report(w, `${String(value)} is not representable in JSON`);
      return;
    case 'bigint':
      return report(w, 'BigInt is not representable in JSON; use a number or a decimal string');
    case 'function':
      return report(w, 'a function is not representable in JSON');
    case 'symbol':
      return report(w, 'a symbol is not representable in JSON');
    case 'undefined':
      // Only reached for array elements and the root: JSON would write null or nothing.
      return report(w, 'undefined is not representable in JSON (use null)');
  }
  w.maxBytes += 4; // null, or an object's/array's brackets
  if (value === null) return;
  const obj = value as object;
  if (w.ancestors.includes(obj)) return report(w, 'circular reference');
  if (w.ancestors.length >= MAX_JSON_DEPTH) return report(w, TOO_DEEP);
  w.ancestors.push(obj);
  if (Array.isArray(obj)) {
    w.maxBytes += obj.length; // commas
    for (let i = 0; i < obj.length; i++) {
      w.keys.push(i);
      walk(obj[i], w);
      w.keys.pop();
    }
  } else if (isPlainObject(obj)) {
    for (const key in obj) {
      const item = obj[key];
      if (item === undefined || !Object.hasOwn(obj, key)) continue;
      w.maxBytes += key.length * 6 + 4; // "key": and a comma
      w.keys.push(key);
      walk(item, w);
      w.keys.pop();
    }
  } else {
    const name = (obj.constructor as { name?: string } | undefined)?.name ?? 'object';
    const hint = obj instanceof Date ? ' (use Unix ms or an ISO string)' : '';
    report(w, `${name} is not plain JSON${hint}`);
  }
  w.ancestors.pop();
}

/** UTF-8 size of the JSON text, as the store will write it. */
export function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
