/**
 * The display helpers' errors. Plain Errors with a `code` (which the core's isCatalystError
 * recognizes, so the CLI still reports them as one line, exit 2) and no import of the core:
 * format.ts and time-zone.ts must load in a browser bundle (the viewer's renderer).
 */

/** A display time zone that is neither UTC nor a known IANA `Area/City` name. */
export class UnknownTimeZoneError extends Error {
  readonly code = 'UNKNOWN_TIME_ZONE';
  constructor(readonly zone: string) {
    super(`unknown time zone '${zone}': use UTC or an IANA name such as America/New_York or Europe/Berlin`);
    this.name = 'UnknownTimeZoneError';
  }
}

/** A time the user typed that does not parse. */
export class InvalidTimeError extends Error {
  readonly code = 'INVALID_TIME';
  constructor(
    readonly input: string,
    readonly option: string,
  ) {
    super(
      `${option}: cannot read '${input}' as a time; use ISO-8601 (2025-03-05T14:30:00Z), ` +
        `a local date and time in the display zone (2025-03-05 14:30), or a date (2025-03-05)`,
    );
    this.name = 'InvalidTimeError';
  }
}
