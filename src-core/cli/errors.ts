import { CatalystError, isCatalystError } from '../errors';

/** Exit codes: the CLI's contract with scripts. */
export const EXIT = {
  ok: 0,
  /** verify found a problem; an unexpected internal failure. */
  problems: 1,
  /** Bad input: a missing or foreign file, an unknown aggregate, a malformed option. */
  usage: 2,
} as const;

/** Bad input the CLI itself detects (a malformed option, an aggregate with no events, a backend not built yet). */
export class CliUsageError extends CatalystError {
  readonly code = 'CLI_USAGE';
}
/** Whether `e` is a {@link CliUsageError} from any copy of this package. */
export const isCliUsageError = (e: unknown): e is CliUsageError => isCatalystError(e) && e.code === 'CLI_USAGE';

export interface ExitReport {
  exitCode: number;
  /** One line, no stack. */
  message: string;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/**
 * Maps anything a command threw to an exit code and a one-line message. The core's typed
 * errors and SQLite's own errors (a damaged or foreign file) are bad input; anything else
 * is a bug, reported as such.
 */
export function toExitReport(error: unknown): ExitReport {
  if (isCatalystError(error)) return { exitCode: EXIT.usage, message: oneLine(error.message) };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return { exitCode: EXIT.usage, message: oneLine(`cannot read the database: ${(error as Error).message}`) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.problems, message: oneLine(`internal error: ${message} (run with --debug for details)`) };
}
