/**
 * What analytics refuses, as typed errors carrying what the user needs. They extend the
 * core's CatalystError, so the CLI reports each as one line with exit code 2.
 */
import { CatalystError } from '../../src-core';

export { InvalidTimeError, UnknownTimeZoneError } from './time-errors';

/** A filter or sort the blotter cannot apply (an unknown column, side or outcome). */
export class InvalidQueryError extends CatalystError {
  readonly code = 'INVALID_ANALYTICS_QUERY';
  constructor(
    readonly field: string,
    readonly value: string,
    readonly allowed: readonly string[],
  ) {
    super(`${field}: '${value}' is not one of ${allowed.join(', ')}`);
  }
}

/** A filter that names something the log does not hold (a ticker, a run, a position). */
export class NotInLogError extends CatalystError {
  readonly code = 'NOT_IN_LOG';
  constructor(
    readonly kind: string,
    readonly value: string,
    readonly known: readonly string[] = [],
  ) {
    const hint = known.length === 0 ? '' : ` (the log has: ${known.slice(0, 20).join(', ')}${known.length > 20 ? ', …' : ''})`;
    super(`no ${kind} '${value}' in the log${hint}`);
  }
}
