import { isPlainObject } from './json-safety';

/**
 * The parsed value laid over what the writer passed: zod's defaults and coercions win, and
 * keys the schema does not know (seed files and newer writers carry some) are kept instead
 * of being stripped by `z.object`. Applied at every depth, so a plugin need not remember
 * `z.looseObject` for each nested object.
 *
 * The result shares no object or array with the input: a buffered emitter holds the payload
 * until its flush, and a bot that mutates its own state object meanwhile must not change
 * what gets written. (Only called on input already checked to be acyclic JSON.)
 */
export function mergeKeepingExtras(input: unknown, parsed: unknown): unknown {
  if (isPlainObject(input) && isPlainObject(parsed)) {
    const out: Record<string, unknown> = {};
    // The writer's key order first, then keys only the schema added (defaults).
    for (const key in input) {
      set(out, key, Object.hasOwn(parsed, key) ? mergeKeepingExtras(input[key], parsed[key]) : copyContainers(input[key]));
    }
    for (const key in parsed) if (!Object.hasOwn(out, key)) set(out, key, mergeKeepingExtras(undefined, parsed[key]));
    return out;
  }
  if (Array.isArray(input) && Array.isArray(parsed) && input.length === parsed.length) {
    return parsed.map((value, i) => mergeKeepingExtras(input[i], value));
  }
  return copyContainers(parsed);
}

/** Fresh plain objects and arrays all the way down; anything else as it is. */
function copyContainers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyContainers);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key in value) set(out, key, copyContainers(value[key]));
    return out;
  }
  return value;
}

/** An own data property even for the key `__proto__` (JSON.parse makes such keys; `=` would set the prototype). */
function set(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
