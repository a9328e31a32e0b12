/**
 * A small structural diff over JSON-like values, for replay UIs (what did this event change)
 * and for verify (where does the rebuilt state differ from the live one).
 */

export type DiffKind = 'added' | 'removed' | 'changed';

/** One difference {@link diff} found. */
export interface DiffEntry {
  kind: DiffKind;
  /** JSON path: `$`, `$.position.qty`, `$.fills[2]`, `$["odd key"]`. */
  path: string;
  /** The value before; absent when `kind` is `added`. */
  before?: unknown;
  /** The value after; absent when `kind` is `removed`. */
  after?: unknown;
}

/** Options of {@link diff}. */
export interface DiffOptions {
  /** Numbers closer than max(absolute, relative * max(|a|, |b|)) count as equal. Default: exact. */
  absoluteTolerance?: number;
  /** See `absoluteTolerance`. */
  relativeTolerance?: number;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return IDENT.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Objects walked key by key: plain objects and class instances (a bot's live state may be one). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Map) &&
    !(value instanceof Set) &&
    !ArrayBuffer.isView(value)
  );
}

function numbersEqual(a: number, b: number, options: DiffOptions): boolean {
  if (Object.is(a, b)) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const abs = options.absoluteTolerance ?? 0;
  const rel = options.relativeTolerance ?? 0;
  return Math.abs(a - b) <= Math.max(abs, rel * Math.max(Math.abs(a), Math.abs(b)));
}

function leafEqual(a: unknown, b: unknown, options: DiffOptions): boolean {
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b, options);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if ((a instanceof Map && b instanceof Map) || (a instanceof Set && b instanceof Set)) {
    // JSON would turn both into {} and call any two equal.
    return a.size === b.size && diff([...a], [...b], options).length === 0;
  }
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  return Object.is(a, b);
}

/** Keys whose value is `undefined` count as absent, as they would after a JSON round trip. */
function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((k) => value[k] !== undefined);
}

function walk(before: unknown, after: unknown, path: string, options: DiffOptions, out: DiffEntry[]): void {
  if (before === after) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const shared = Math.min(before.length, after.length);
    for (let i = 0; i < shared; i++) walk(before[i], after[i], childPath(path, i), options, out);
    for (let i = shared; i < before.length; i++) out.push({ kind: 'removed', path: childPath(path, i), before: before[i] });
    for (let i = shared; i < after.length; i++) out.push({ kind: 'added', path: childPath(path, i), after: after[i] });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const afterKeys = new Set(definedKeys(after));
    for (const key of definedKeys(before)) {
      const next = childPath(path, key);
      if (afterKeys.has(key)) walk(before[key], after[key], next, options, out);
      else out.push({ kind: 'removed', path: next, before: before[key] });
    }
    for (const key of afterKeys) {
      if (before[key] === undefined) out.push({ kind: 'added', path: childPath(path, key), after: after[key] });
    }
    return;
  }
  if (!leafEqual(before, after, options)) out.push({ kind: 'changed', path, before, after });
}

/** Differences from `before` to `after`, depth first, keys in insertion order. Empty: equal. */
export function diff(before: unknown, after: unknown, options: DiffOptions = {}): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, '$', options, out);
  return out;
}
