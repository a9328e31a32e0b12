/** Options the analytics commands share: the display zone and times typed in it. */
import { CliUsageError } from '../../../src-core';
import { parseTimeIn, TimeZone } from '../time-zone';

export interface ZoneOption {
  tz?: string;
}

/** --tz: UTC unless given; an unknown zone is an UnknownTimeZoneError (one line, exit 2). */
export function zoneOf(options: ZoneOption): TimeZone {
  return TimeZone.of(options.tz);
}

/** A time typed on the command line, read in the display zone. */
export function timeOption(text: string | undefined, zone: TimeZone, option: string): number | undefined {
  return text === undefined ? undefined : parseTimeIn(text, zone, option);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function exclusive(options: Record<string, unknown>, names: readonly string[]): void {
  const given = names.filter((n) => options[n] !== undefined && options[n] !== false);
  if (given.length > 1) throw new CliUsageError(`give one of ${given.map((n) => `--${n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}, not several`);
}
