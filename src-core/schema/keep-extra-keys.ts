import { hasLoneSurrogate, isPlainObject, setOwn } from './json-safety';

/** What a merge added to the input, as far as JSON safety and size go. */
export interface MergeReport {
  /** Something the schema produced that only a full walk can vouch for (a container, a Date, NaN…). */
  unchecked: boolean;
  /** Upper bound on the JSON bytes the schema's own primitives and keys add (as inspectJson counts). */
  addedBytes: number;
}

/**
 * The parsed value laid over what the writer passed: zod's defaults and coercions win, and
 * keys the schema does not know (seed files and newer writers carry some) are kept instead
 * of being stripped by `z.object`. Applied at every depth, so a plugin need not remember
 * `z.looseObject` for each nested object.
 *
 * The result shares no object or array with the input: a buffered emitter holds the payload
 * until its flush, and a bot that mutates its own state object meanwhile must not change
 * what gets written. (Only called on input already checked to be acyclic JSON.)
 *
 * The report says what the result holds that the input did not. Defaults and coercions to
 * plain JSON primitives (null, a finite number, well-formed text) are checked on the spot;
 * anything else marks it `unchecked`. When it is not, the result is the input's checked
 * leaves plus those primitives, so the input's JSON walk holds for it and only the size bound
 * grows.
 */
export function mergeReportingChange(input: unknown, parsed: unknown): { value: unknown; report: MergeReport } {
  const report: MergeReport = { unchecked: false, addedBytes: 0 };
  const value = mergeTracked(input, parsed, report);
  return { value, report };
}

function mergeTracked(input: unknown, parsed: unknown, report: MergeReport): unknown {
  // Most of a payload is numbers and strings: the parsed value, with no container checks.
  if (typeof parsed !== 'object' || parsed === null) {
    if (parsed !== input) notePrimitive(parsed, report);
    return parsed;
  }
  if (isPlainObject(input) && isPlainObject(parsed)) {
    const out: Record<string, unknown> = {};
    // The writer's key order first, then keys only the schema added (defaults).
    for (const key in input) {
      setOwn(out, key, Object.hasOwn(parsed, key) ? mergeTracked(input[key], parsed[key], report) : copyContainers(input[key]));
    }
    for (const key in parsed) {
      if (Object.hasOwn(out, key)) continue;
      if (!hasLoneSurrogate(key)) report.addedBytes += key.length * 6 + 4;
      else report.unchecked = true;
      setOwn(out, key, mergeTracked(undefined, parsed[key], report));
    }
    return out;
  }
  if (Array.isArray(input) && Array.isArray(parsed) && input.length === parsed.length) {
    return parsed.map((value, i) => {
      if (value === undefined) report.unchecked = true; // JSON writes null for it: the walk reports that
      return mergeTracked(input[i], value, report);
    });
  }
  // A container where the input had another kind of value, or an object that is not plain.
  report.unchecked = true;
  return copyContainers(parsed);
}

/** A primitive the schema put where the input had something else: plain JSON, or unchecked. */
function notePrimitive(value: unknown, report: MergeReport): void {
  if (value === null) report.addedBytes += 4;
  else if (typeof value === 'boolean') report.addedBytes += 5;
  else if (typeof value === 'number' && Number.isFinite(value)) report.addedBytes += 24;
  else if (typeof value === 'string' && !hasLoneSurrogate(value)) report.addedBytes += value.length * 6 + 2;
  else if (value !== undefined) report.unchecked = true; // NaN, a bigint, a function… (undefined: an absent key)
}

/** Fresh plain objects and arrays all the way down; anything else as it is. */
function copyContainers(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyContainers);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key in value) setOwn(out, key, copyContainers(value[key]));
    return out;
  }
  return value;
}
