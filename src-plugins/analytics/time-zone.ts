/**
 * One display time zone for people: UTC unless set, or an IANA `Area/City` name. It is
 * applied at the edges (printing, day buckets, typed-in dates), never to stored times, and
 * every time it prints names its zone. Domain-free and free of the core (it loads in a
 * browser bundle); it lives here because analytics is its first user.
 */
import { InvalidTimeError, UnknownTimeZoneError } from './time-errors';

const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+$/;
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Z', 'GMT', 'Etc/GMT']);

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export class TimeZone {
  static readonly UTC = new TimeZone('UTC', null);

  private constructor(
    /** `UTC` or the canonical IANA name. */
    readonly name: string,
    private readonly dtf: Intl.DateTimeFormat | null,
  ) {}

  /** `UTC` (also for an empty or absent input) or a validated IANA `Area/City` name. */
  static of(input?: string | null): TimeZone {
    const text = (input ?? '').trim();
    if (text === '' || UTC_NAMES.has(text) || text.toUpperCase() === 'UTC') return TimeZone.UTC;
    if (!IANA_NAME.test(text)) throw new UnknownTimeZoneError(text);
    let dtf: Intl.DateTimeFormat;
    try {
      dtf = new Intl.DateTimeFormat('en-US', {
        timeZone: text,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch {
      throw new UnknownTimeZoneError(text);
    }
    const name = dtf.resolvedOptions().timeZone;
    return UTC_NAMES.has(name) ? TimeZone.UTC : new TimeZone(name, dtf);
  }

  get isUtc(): boolean {
    return this.dtf === null;
  }

  /** The wall clock at `ms` in this zone. */
  wall(ms: number): WallParts {
    if (this.dtf === null) {
      const d = new Date(ms);
      return {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: d.getUTCHours(),
        minute: d.getUTCMinutes(),
        second: d.getUTCSeconds(),
      };
    }
    const parts: Record<string, number> = {};
    for (const p of this.dtf.formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return {
      year: parts.year!,
      month: parts.month!,
      day: parts.day!,
      hour: parts.hour! % 24,
      minute: parts.minute!,
      second: parts.second!,
    };
  }

  /** Offset from UTC at `ms`, in minutes (New York in winter: -300). */
  offsetMinutes(ms: number): number {
    if (this.dtf === null) return 0;
    const w = this.wall(ms);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  }

  /** The instant a wall-clock time in this zone names. In a DST gap, the time after the jump. */
  instant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    if (this.dtf === null) return asUtc;
    let guess = asUtc - this.offsetMinutes(asUtc) * 60_000;
    // A second step settles times near a transition (the offset at the guess may differ).
    const second2 = asUtc - this.offsetMinutes(guess) * 60_000;
    if (second2 !== guess) guess = Math.max(guess, second2);
    return guess;
  }

  /** `YYYY-MM-DD`: the day `ms` falls on in this zone (the key of by-day figures). */
  dayKey(ms: number): string {
    const w = this.wall(ms);
    return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  }

  /** [start, end) in Unix ms of the day `ms` falls on in this zone. */
  dayRange(ms: number): [number, number] {
    const w = this.wall(ms);
    const start = this.instant(w.year, w.month, w.day);
    const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
    const end = this.instant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
    return [start, end];
  }

  /** `UTC` or `UTC-05:00` at `ms`, for labels that name the offset. */
  offsetLabel(ms: number): string {
    const off = this.offsetMinutes(ms);
    if (off === 0) return 'UTC';
    const sign = off < 0 ? '-' : '+';
    const abs = Math.abs(off);
    return `UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Caches a zone's current day so folding millions of events asks Intl once per day, not per event. */
export class DayBuckets {
  private start = Infinity;
  private end = -Infinity;
  private key = '';

  constructor(readonly zone: TimeZone) {}

  keyOf(ms: number): string {
    if (ms < this.start || ms >= this.end) {
      [this.start, this.end] = this.zone.dayRange(ms);
      this.key = this.zone.dayKey(ms);
    }
    return this.key;
  }

  /** True when `ms` is on a different day than the previous call. */
  changes(ms: number): boolean {
    const before = this.key;
    return this.keyOf(ms) !== before;
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const ABSOLUTE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A time typed by a person: ISO-8601 with `Z` or an offset is absolute; a date and time
 * without one is a wall-clock time in `zone`; a date alone is that day's start in `zone`;
 * a plain integer is Unix ms. `option` names the flag or field in the error.
 */
export function parseTimeIn(input: string, zone: TimeZone, option = 'time'): number {
  const text = input.trim();
  if (/^\d{10,}$/.test(text)) return Number(text);
  if (ABSOLUTE.test(text)) {
    const ms = Date.parse(text.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  const local = LOCAL.exec(text);
  if (local) {
    const [y, mo, d, h, mi, s] = local.slice(1, 7).map((v) => (v === undefined ? 0 : Number(v)));
    if (validDate(y!, mo!, d!) && h! < 24 && mi! < 60 && s! < 60) {
      const millis = local[7] === undefined ? 0 : Number(local[7].padEnd(3, '0'));
      return zone.instant(y!, mo!, d!, h, mi, s, millis);
    }
  }
  const date = DATE_ONLY.exec(text);
  if (date) {
    const [y, mo, d] = date.slice(1).map(Number);
    if (validDate(y!, mo!, d!)) return zone.instant(y!, mo!, d!);
  }
  throw new InvalidTimeError(input, option);
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
