import { flatten } from './flatten';
import { formatTime } from './time';
import { inline } from './value';

/** Arrays longer than this are summarized (count and last entry) unless --full is asked. */
const LIST_PREVIEW = 3;
/** Unix ms after 1973: a number under a time-like key this large is a time, shown in UTC. */
const MS_FLOOR = 1e11;
const TIME_KEY = /(_at|_time|timestamp)$/;

/**
 * An aggregate's state the way a trader reads it: scalars first in the reducer's key order,
 * times in UTC, float noise trimmed, long histories summarized. `--full` (or --json) shows all.
 */
export function stateView(state: unknown, full = false): [string, string][] {
  if (full || typeof state !== 'object' || state === null || Array.isArray(state)) return tidy(flatten(state));
  const scalars: [string, string][] = [];
  const nested: [string, string][] = [];
  for (const [key, value] of Object.entries(state as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue; // an empty history says nothing
      if (value.length > LIST_PREVIEW) {
        nested.push([key, `${value.length} entries; last: ${inline(value[value.length - 1])}`]);
      } else {
        nested.push(...tidy(flatten(value, `$.${key}`)));
      }
    } else if (typeof value === 'object' && value !== null) {
      nested.push(...tidy(flatten(value, `$.${key}`)));
    } else {
      scalars.push(...tidy([[key, inline(value)]], value));
    }
  }
  return [...scalars, ...nested];
}

function tidy(rows: [string, string][], raw?: unknown): [string, string][] {
  return rows.map(([path, text]) => {
    const number = typeof raw === 'number' ? raw : /^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(text) ? Number(text) : undefined;
    if (number === undefined || !Number.isFinite(number)) return [path, text];
    const leaf =
      path
        .split(/[.[\]]/)
        .filter(Boolean)
        .pop() ?? path;
    if (TIME_KEY.test(leaf) && Number.isInteger(number) && number > MS_FLOOR) return [path, `${formatTime(number)} UTC`];
    // Floating-point noise from sums of prices (18.95000000000027) is not a trader's number.
    return [path, Number.isInteger(number) ? text : String(Number(number.toPrecision(12)))];
  });
}
