import type { ValidationIssue } from '../errors';

/**
 * Limits on what one event may carry. A bot that logs a whole order book into one payload
 * would bloat every read of that aggregate; these bounds make that fail loudly at emit.
 */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
/** Largest metadata an event may carry, in bytes of UTF-8 JSON (16 KiB); larger is a {@link ValidationError} at emit. */
export const MAX_METADATA_BYTES = 16 * 1024;
/**
 * Deepest nesting of objects and arrays an event may carry. A trading payload is a few levels
 * deep; a bound keeps every recursive step (zod, merging, SQLite's JSON functions, whose own
 * limit is 1000) far from its limit, so a hostile payload is a ValidationError, not a RangeError.
 */
export const MAX_JSON_DEPTH = 64;
/** The message findJsonIssues reports past MAX_JSON_DEPTH. */
export const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;

/**
 * Whether text holds a lone (unpaired) surrogate: UTF-8 cannot encode it, so SQLite would store
 * bytes that read back as U+FFFD, and two different ids would become one. (In a `u` regex a
 * surrogate class matches only unpaired halves.)
 */
export function hasLoneSurrogate(text: string): boolean {
  // isWellFormed (Node 20+) is the same test done natively, without a regex per string.
  return !(text as WellFormedString).isWellFormed();
}
/** ES2024's String.prototype.isWellFormed, which the project's TypeScript lib does not declare yet. */
type WellFormedString = string & { isWellFormed(): boolean };

/** An own data property even for the key `__proto__` (JSON.parse makes such keys; `=` would set the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

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
  // Nearly every event is clean: a pass that only adds up the bound answers it, and the walk
  // that names each bad path runs only when that pass meets something it cannot vouch for.
  const maxBytes = cleanJsonBound(value);
  if (maxBytes >= 0) return { issues: [], maxBytes };
  const w: Walk = { base: path, keys: [], ancestors: [], issues: [], maxBytes: 0 };
  walk(value, w);
  return { issues: w.issues, maxBytes: w.maxBytes };
}

/**
 * The size bound `walk` would compute for a value in which it finds nothing to report; -1 for
 * anything else (an issue, a value that is not plain JSON, a getter or a Proxy that throws),
 * for the walk to report. The same bound, without the path bookkeeping.
 */
function cleanJsonBound(value: unknown): number {
  try {
    return bound(value, []);
  } catch {
    return -1;
  }
}

/**
 * What a JSON primitive adds to the bound (as `walk` counts it: null 4, a boolean 5, a finite
 * number 24, text 6 per character + 2); 0 for undefined (an absent key), -1 for anything
 * else: a container, or what JSON cannot carry (NaN, a lone surrogate, a bigint…).
 */
export function primitiveJsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return hasLoneSurrogate(value) ? -1 : value.length * 6 + 2;
    case 'number':
      return Number.isFinite(value) ? 24 : -1;
    case 'boolean':
      return 5;
    case 'undefined':
      return 0;
    case 'object':
      return value === null ? 4 : -1;
    case 'bigint':
    case 'function':
    case 'symbol':
      return -1;
  }
}

function bound(value: unknown, ancestors: object[]): number {
  // An undefined array element or root is an issue (JSON writes null or nothing for it).
  if (value === undefined) return -1;
  if (typeof value !== 'object' || value === null) return primitiveJsonBytes(value);
  if (ancestors.length >= MAX_JSON_DEPTH || ancestors.includes(value)) return -1;
  ancestors.push(value);
  let bytes = 4;
  if (Array.isArray(value)) {
    bytes += value.length;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const b = item === undefined ? -1 : bound(item, ancestors);
      if (b < 0) return -1;
      bytes += b;
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (!(key as WellFormedString).isWellFormed()) return -1;
      if (item === undefined) continue;
      const b = bound(item, ancestors);
      if (b < 0) return -1;
      bytes += key.length * 6 + 4 + b;
    }
  } else {
    return -1;
  }
  ancestors.pop();
  return bytes;
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
      if (hasLoneSurrogate(value)) report(w, LONE_SURROGATE_MESSAGE);
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
    case 'object':
      break; // null, an array or an object: below
  }
  w.maxBytes += 4; // null, or an object's/array's brackets
  if (value === null) return;
  const obj = value;
  if (w.ancestors.includes(obj)) return report(w, 'circular reference');
  if (w.ancestors.length >= MAX_JSON_DEPTH) return report(w, TOO_DEEP);
  w.ancestors.push(obj);
  let plain: boolean;
  try {
    plain = Array.isArray(obj) || isPlainObject(obj);
  } catch (error) {
    report(w, threw('inspecting it', error)); // a Proxy whose traps throw
    w.ancestors.pop();
    return;
  }
  if (Array.isArray(obj)) {
    w.maxBytes += obj.length; // commas
    for (let i = 0; i < obj.length; i++) {
      w.keys.push(i);
      const item = read(obj, i, w);
      if (item !== UNREADABLE) walk(item, w);
      w.keys.pop();
    }
  } else if (plain) {
    let keys: string[];
    try {
      keys = Object.keys(obj);
    } catch (error) {
      report(w, threw('listing its keys', error));
      w.ancestors.pop();
      return;
    }
    for (const key of keys) {
      w.keys.push(key);
      if (hasLoneSurrogate(key)) report(w, `the key ${LONE_SURROGATE_MESSAGE}`);
      const item = read(obj, key, w);
      if (item !== UNREADABLE && item !== undefined) {
        w.maxBytes += key.length * 6 + 4; // "key": and a comma
        walk(item, w);
      }
      w.keys.pop();
    }
  } else {
    const name = (obj.constructor as { name?: string } | undefined)?.name ?? 'object';
    const hint = obj instanceof Date ? ' (use Unix ms or an ISO string)' : '';
    report(w, `${name} is not plain JSON${hint}`);
  }
  w.ancestors.pop();
}

const LONE_SURROGATE_MESSAGE = 'is not valid Unicode text (a lone surrogate, which UTF-8 cannot store)';

function threw(what: string, error: unknown): string {
  return `${what} threw: ${error instanceof Error ? error.message : String(error)}`;
}

/** What read() returns for a property whose getter threw (no wrapper object per property read). */
const UNREADABLE: unique symbol = Symbol('unreadable');

/** A property's value; a getter that throws is an issue at its path, not an exception. */
function read(obj: object, key: string | number, w: Walk): unknown {
  try {
    return (obj as Record<string | number, unknown>)[key];
  } catch (error) {
    report(w, threw('reading it', error));
    return UNREADABLE;
  }
}

/** UTF-8 size of the JSON text, as the store will write it. */
export function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
