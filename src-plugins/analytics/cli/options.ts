/** Options the analytics commands share: the display zone and times typed in it. */
import { CliUsageError } from '../../../src-core';
import { InvalidTimeError, UnknownTimeZoneError } from '../time-errors';
import { parseTimeIn, TimeZone } from '../time-zone';

export interface ZoneOption {
  tz?: string;
}

/**
 * The display helpers' errors stay free of the core (the renderer imports them), so the
 * command line turns them into its usage error here: one line, exit 2.
 */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownTimeZoneError || error instanceof InvalidTimeError) throw new CliUsageError(error.message);
    throw error;
  }
}

/** --tz: UTC unless given; an unknown zone is a usage error. */
export function zoneOf(options: ZoneOption): TimeZone {
  return asUsage(() => TimeZone.of(options.tz));
}

/** A time typed on the command line, read in the display zone; an unparsable one is a usage error. */
export function timeOption(text: string | undefined, zone: TimeZone, option: string): number | undefined {
  return text === undefined ? undefined : asUsage(() => parseTimeIn(text, zone, option));
}

export function exclusive(options: Record<string, unknown>, names: readonly string[]): void {
  const given = names.filter((n) => options[n] !== undefined && options[n] !== false);
  if (given.length > 1)
    throw new CliUsageError(
      `give one of ${given.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}, not several`,
    );
}
