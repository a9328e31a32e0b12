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
    for (const [key, value] of Object.entries(input)) out[key] = copyContainers(value);
    for (const [key, value] of Object.entries(parsed)) out[key] = mergeKeepingExtras(input[key], value);
    return out;
  }
  if (Array.isArray(input) && Array.isArray(parsed) && input.length === parsed.length) {
    return parsed.map((value, i) => mergeKeepingExtras(input[i], value));
  }
  return copyContainers(parsed);
}

/** Fresh plain objects and arrays all the way down; anything else as it is. */
function copyContainers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyContainers);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = copyContainers(item);
    return out;
  }
  return value;
}
