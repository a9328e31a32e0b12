/** Where failures that must not reach the bot (listeners, hook handlers) are reported. */
export interface ErrorReporter {
  /**
   * Reports one failure. `context.where` names the place (e.g. a listener or hook); the other keys are
   * details worth logging. Whatever it throws is dropped.
   */
  report(error: unknown, context: { where: string; [key: string]: unknown }): void;
}

/**
 * The default reporter: one line per failure on stderr, so a broken listener or hook
 * handler is visible without ever reaching the bot.
 */
export class StderrErrorReporter implements ErrorReporter {
  constructor(private readonly write: (line: string) => void = (line) => process.stderr.write(line)) {}

  /** Writes one line: `[catalyst-events] <where>: <name>: <message> (key=value ...)`. */
  report(error: unknown, context: { where: string; [key: string]: unknown }): void {
    const { where, ...rest } = context;
    const detail = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : safeJson(value)}`)
      .join(' ');
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.write(`[catalyst-events] ${where}: ${message}${detail ? ` (${detail})` : ''}`.replace(/\s*\n\s*/g, ' ') + '\n');
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
