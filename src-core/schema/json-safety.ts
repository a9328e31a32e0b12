import type { ValidationIssue } from '../errors';

/**
 * Limits on what one event may carry. A bot that logs a whole order book into one payload
 * would bloat every read of that aggregate; these bounds make that fail loudly at emit.
 */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_METADATA_BYTES = 16 * 1024;

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
  const issues: ValidationIssue[] = [];
  walk(value, path, [], issues);
  return issues;
}

function walk(value: unknown, path: string, ancestors: object[], issues: ValidationIssue[]): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) issues.push({ path, message: `${String(value)} is not representable in JSON` });
      return;
    case 'bigint':
      issues.push({ path, message: 'BigInt is not representable in JSON; use a number or a decimal string' });
      return;
    case 'function':
      issues.push({ path, message: 'a function is not representable in JSON' });
      return;
    case 'symbol':
      issues.push({ path, message: 'a symbol is not representable in JSON' });
      return;
    case 'undefined':
      // Only reached for array elements and the root: JSON would write null or nothing.
      issues.push({ path, message: 'undefined is not representable in JSON (use null)' });
      return;
  }
  if (value === null) return;
  const obj = value as object;
  if (ancestors.includes(obj)) {
    issues.push({ path, message: 'circular reference' });
    return;
  }
  ancestors.push(obj);
  if (Array.isArray(obj)) {
    obj.forEach((item, i) => walk(item, joinPath(path, i), ancestors, issues));
  } else if (isPlainObject(obj)) {
    for (const [key, item] of Object.entries(obj)) {
      if (item !== undefined) walk(item, joinPath(path, key), ancestors, issues);
    }
  } else {
    const name = (obj.constructor as { name?: string } | undefined)?.name ?? 'object';
    const hint = obj instanceof Date ? ' (use Unix ms or an ISO string)' : '';
    issues.push({ path, message: `${name} is not plain JSON${hint}` });
  }
  ancestors.pop();
}

/** UTF-8 size of the JSON text, as the store will write it. */
export function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
