import { hasLoneSurrogate, isPlainObject, primitiveJsonBytes, setOwn } from './json-safety';

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
 * Keys come in zod's order (the schema's, then the extras a loose object keeps), then the
 * writer's keys the schema stripped, in the writer's order.
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
 *
 * `parsedIsFresh`: zod built `parsed` for this call (an object schema at the root), so a flat
 * one that kept every key is the answer as it is.
 */
export function mergeReportingChange(input: unknown, parsed: unknown, parsedIsFresh = false): { value: unknown; report: MergeReport } {
  const report: MergeReport = { unchecked: false, addedBytes: 0 };
  if (parsedIsFresh && parsed !== input && isPlainObject(input) && isPlainObject(parsed)) {
    const added = flatOutputBytes(input, parsed);
    if (added >= 0) {
      report.addedBytes = added;
      return { value: parsed, report };
    }
  }
  const value = mergeTracked(input, parsed, report);
  return { value, report };
}

/**
 * A flat payload (the common case) needs no merge: when zod built `parsed` itself (the root
 * schema is an object schema, which always builds a new object), kept every key of the input
 * (a loose object does) and holds only primitives, it shares nothing with the input and is
 * what the merge would build. Returns the bytes its defaults and coercions add, or -1 when the
 * merge must run (a key dropped, a container, a value that is not plain JSON).
 */
function flatOutputBytes(input: Record<string, unknown>, parsed: Record<string, unknown>): number {
  let inputKeys = 0;
  for (const _ in input) inputKeys++;
  let kept = 0;
  let added = 0;
  for (const key in parsed) {
    const value = parsed[key];
    if (typeof value === 'object' && value !== null) return -1;
    const given = input[key];
    // A primitive read from a plain object is its own (Object.prototype holds functions and the
    // __proto__ accessor): Object.hasOwn only for the rest, which keeps this pass cheap.
    const own = given !== undefined && typeof given !== 'object' && typeof given !== 'function' ? true : Object.hasOwn(input, key);
    if (own) {
      kept++;
      if (value === given) continue;
    }
    const bytes = primitiveJsonBytes(value);
    if (bytes < 0) return -1;
    if (!own) {
      if (hasLoneSurrogate(key)) return -1;
      added += key.length * 6 + 4;
    }
    added += bytes;
  }
  // Every key of the input is in the output (a strict or stripping schema drops some).
  return kept === inputKeys ? added : -1;
}

function mergeTracked(input: unknown, parsed: unknown, report: MergeReport): unknown {
  // Most of a payload is numbers and strings: the parsed value, with no container checks.
  if (typeof parsed !== 'object' || parsed === null) {
    if (parsed !== input) notePrimitive(parsed, report);
    return parsed;
  }
  if (isPlainObject(input) && isPlainObject(parsed)) {
    const out: Record<string, unknown> = {};
    // zod's key order (the schema's keys, then the extras a loose object keeps), then the
    // writer's keys the schema dropped: the order a flat payload gets without a merge.
    for (const key in parsed) {
      if (Object.hasOwn(input, key)) {
        setOwn(out, key, mergeTracked(input[key], parsed[key], report));
        continue;
      }
      if (!hasLoneSurrogate(key)) report.addedBytes += key.length * 6 + 4;
      else report.unchecked = true;
      setOwn(out, key, mergeTracked(undefined, parsed[key], report));
    }
    for (const key in input) {
      if (!Object.hasOwn(out, key)) setOwn(out, key, copyContainers(input[key]));
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
  const bytes = primitiveJsonBytes(value); // 0 for undefined: an absent key
  if (bytes < 0)
    report.unchecked = true; // NaN, a bigint, a function…
  else report.addedBytes += bytes;
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
