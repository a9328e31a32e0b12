/**
 * Turning a hooked call into hook inputs: the default convention (first argument overlaid
 * by the result) and the plugin's `map` option.
 */
import { ValidationError, type HookCall } from '../../src-core';
import type { HookOptions, HookPhase } from './hook-options';

export type Input = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own enumerable keys of `source` that `keys` names and that are not undefined. */
export function pick(source: Input, keys: readonly string[]): Input {
  const out: Input = {};
  for (const key of keys) {
    const value = source[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The convention: the first argument, overlaid by the result; an array result gives one input per element. */
function conventionalInputs(args: readonly unknown[], result: unknown): Input[] {
  const first = isRecord(args[0]) ? { ...args[0] } : {};
  if (Array.isArray(result)) return result.filter(isRecord).map((r) => ({ ...first, ...r }));
  return [isRecord(result) ? { ...first, ...result } : first];
}

/**
 * The inputs for one phase of a call: the convention (only `keys`), with `map`'s answer
 * merged over it. `map` returning null means "nothing for this call"; undefined keeps the
 * convention.
 */
export function resolveInputs(
  call: HookCall<HookOptions<unknown> | undefined>,
  result: unknown,
  phase: HookPhase,
  keys: readonly string[],
): Input[] {
  const base = conventionalInputs(call.args, phase === 'before' ? undefined : result).map((i) => pick(i, keys));
  const map = call.options?.map;
  if (map === undefined) return base;
  let mapped: ReturnType<typeof map>;
  try {
    mapped = map(call.args, phase === 'before' ? undefined : result, phase);
  } catch (error) {
    // Before the call a mapper written for the result may fail on `undefined`: nothing is known yet.
    if (phase === 'before') return [];
    throw error;
  }
  if (mapped === null) return [];
  if (mapped === undefined) return base;
  const first = base[0] ?? {};
  if (Array.isArray(mapped)) return mapped.filter(isRecord).map((m) => ({ ...first, ...m }));
  return [{ ...first, ...(mapped as Input) }];
}

/** What `mapError` says about a thrown error, or null when it says "emit nothing". */
export function resolveError(call: HookCall<HookOptions<unknown> | undefined>, error: unknown): Input | null {
  const mapError = call.options?.mapError;
  if (mapError === undefined) return {};
  const mapped = mapError(call.args, error);
  if (mapped === null) return null;
  return isRecord(mapped) ? { ...mapped } : {};
}

/** A short machine-readable reason for a thrown error: its `code`, else its class name. */
export function errorReason(error: unknown): string {
  if (isRecord(error) && typeof error.code === 'string' && error.code) return error.code;
  if (error instanceof Error) return error.name || 'Error';
  return 'error';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keys an input must have (non-null) for its event; the names of the missing ones. */
export function missing(input: Input, required: readonly string[]): string[] {
  return required.filter((k) => input[k] === undefined || input[k] === null || input[k] === '');
}

/** Enum-like strings are compared lower-case ('BUY' and 'buy' are the same side). */
export function lower(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** Unix ms or an ISO string as the ISO string the seed writes. */
export function isoTime(value: unknown, fallbackMs: number): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  return new Date(fallbackMs).toISOString();
}

/** Throws a ValidationError naming the keys an input lacks for `eventType`. */
export function requireKeys(eventType: string, input: Input, keys: readonly string[]): void {
  const absent = missing(input, keys);
  if (absent.length === 0) return;
  throw new ValidationError(
    eventType,
    absent.map((key) => ({
      path: `payload.${key}`,
      message: `required; the hooked call did not provide it (adapt the call with the decorator's \`map\` option)`,
    })),
  );
}

/** The hooked call as every handler sees it. */
export type Call = HookCall<HookOptions<unknown> | undefined>;
