import { CatalystError } from '../../src-core';

/**
 * A viewer query with bad arguments (or an unknown query name). Lives with the viewer, not in
 * the core's error list, because only the viewer's transports (IPC, HTTP) raise it.
 */
export class QueryArgumentError extends CatalystError {
  readonly code = 'BAD_QUERY';
  constructor(
    readonly method: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid arguments for ${method}: ${issues.join('; ')}`);
  }
}

/** An operation the current transport cannot do (opening files in served mode, say). */
export class UnsupportedOperationError extends CatalystError {
  readonly code = 'UNSUPPORTED';
  constructor(
    readonly operation: string,
    reason: string,
  ) {
    super(`${operation} is not available: ${reason}`);
  }
}

/** The Electron window has no log open yet. */
export class NoFileOpenError extends CatalystError {
  readonly code = 'NO_FILE';
  constructor() {
    super('no event log is open yet: use File → Open…');
  }
}
