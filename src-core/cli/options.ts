import { MAX_ID_LENGTH } from '../schema/envelope';
import { CliUsageError } from './errors';

const RELATIVE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A date-time with no zone: read as UTC, like every time in the log. */
const NO_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A point in time for --since/--until/--as-of: Unix ms (`1705329000000`), ISO 8601
 * (`2024-01-15`, `2024-01-15T14:30:00Z`; without a zone: UTC), or an age (`15m`, `2h`, `1d`:
 * that long before `now`).
 */
export function parseTime(text: string, option: string, now: number = Date.now()): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const age = RELATIVE.exec(value);
  if (age) return Math.round(now - Number(age[1]) * UNIT_MS[age[2]!]!);
  const iso = value.includes(' ') && /^\d{4}-\d{2}-\d{2} \d/.test(value) ? value.replace(' ', 'T') : value;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(NO_ZONE.test(iso) ? `${iso}Z` : iso) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new CliUsageError(`${option} '${text}' is not a time: use Unix ms, ISO 8601 (2024-01-15T14:30:00Z) or an age (15m, 2h, 1d)`);
  }
  return parsed;
}

/**
 * Parses `text` as a whole number of at least `min`. `option` names the flag in the error.
 * @throws {@link CliUsageError} when `text` is not such a number.
 */
export function parseCount(text: string, option: string, min = 0): number {
  const value = text.trim();
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) < min) {
    throw new CliUsageError(`${option} '${text}' must be a whole number${min > 0 ? ` >= ${min}` : ''}`);
  }
  return Number(value);
}

export interface AggregateRef {
  aggregateType: string;
  aggregateId: string;
}

/** `TYPE:ID`; the id may itself contain colons. */
export function parseAggregateRef(text: string, option = '--aggregate'): AggregateRef {
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) {
    throw new CliUsageError(`${option} '${text}' must be TYPE:ID, e.g. order:ord-42`);
  }
  const ref = { aggregateType: text.slice(0, at), aggregateId: text.slice(at + 1) };
  checkIdArguments([ref.aggregateType, ref.aggregateId]);
  return ref;
}

/**
 * Positional arguments (aggregate types, ids, event and correlation ids) are ids: longer than
 * the emitter's MAX_ID_LENGTH, none can exist in a log, so say so instead of searching.
 */
export function checkIdArguments(args: readonly unknown[]): void {
  for (const arg of args) {
    if (typeof arg === 'string' && arg.length > MAX_ID_LENGTH) {
      throw new CliUsageError(`'${arg.slice(0, 24)}…' is ${arg.length} characters; ids are at most ${MAX_ID_LENGTH}`);
    }
  }
}

/** Repeatable/comma-separated option values: `--type A,B --type C`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v.length > 0),
  ];
}
