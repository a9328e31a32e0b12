import { isPlainObject } from './json-safety';

/**
 * The parsed value laid over what the writer passed: zod's defaults and coercions win, and
 * keys the schema does not know (seed files and newer writers carry some) are kept instead
 * of being stripped by `z.object`. Applied at every depth, so a plugin need not remember
 * `z.looseObject` for each nested object.
 */
export function mergeKeepingExtras(input: unknown, parsed: unknown): unknown {
  if (isPlainObject(input) && isPlainObject(parsed)) {
    const out: Record<string, unknown> = { ...input };
    for (const [key, value] of Object.entries(parsed)) out[key] = mergeKeepingExtras(input[key], value);
    return out;
  }
  if (Array.isArray(input) && Array.isArray(parsed) && input.length === parsed.length) {
    return parsed.map((value, i) => mergeKeepingExtras(input[i], value));
  }
  return parsed;
}
