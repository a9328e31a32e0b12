import { CatalystError } from 'catalyst-events';

/**
 * The bot's own input errors. They extend the core's CatalystError the way any user
 * of the library would, so one `isCatalystError` check covers both.
 */
export class BotInputError extends CatalystError {
  readonly code = 'BOT_INPUT';
  constructor(
    readonly what: string,
    reason: string,
  ) {
    super(`${what}: ${reason}`);
  }
}

/** The rebuilt log disagrees with what the bot holds in memory. */
export class VerificationError extends CatalystError {
  readonly code = 'BOT_VERIFICATION';
  constructor(readonly mismatches: number) {
    super(`${mismatches} aggregate(s) rebuilt from the log differ from the bot's live state`);
  }
}
