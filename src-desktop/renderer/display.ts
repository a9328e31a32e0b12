/**
 * Display for people, the renderer's copy of the analytics module's format.ts and
 * time-zone.ts (src-plugins/analytics), which the renderer cannot import (they reach the
 * core's entry, which reaches SQLite). Same algorithms, same output: a parity test
 * (test/desktop/renderer/display-parity.test.ts) holds the two to it, so the CLI and the
 * viewer print the same instant and the same amount the same way.
 *
 * One display zone (UTC unless the trader picks another, remembered per machine); every
 * time shown names it; 24-hour everywhere; money with separators, fixed decimals, a real
 * minus sign and no float noise.
 */

export const MINUS = '\u2212';
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+$/;
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Z', 'GMT', 'Etc/GMT']);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export class DisplayZone {
  static readonly UTC = new DisplayZone('UTC', null);

  private constructor(
    readonly name: string,
    private readonly dtf: Intl.DateTimeFormat | null,
  ) {}

  /** UTC (also for empty input) or a valid IANA name; anything else throws. */
  static of(input?: string | null): DisplayZone {
    const text = (input ?? '').trim();
    if (text === '' || UTC_NAMES.has(text) || text.toUpperCase() === 'UTC') return DisplayZone.UTC;
    if (!IANA_NAME.test(text)) throw new Error(`unknown time zone '${text}'`);
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
      throw new Error(`unknown time zone '${text}'`);
    }
    const name = dtf.resolvedOptions().timeZone;
    return UTC_NAMES.has(name) ? DisplayZone.UTC : new DisplayZone(name, dtf);
  }

  get isUtc(): boolean {
    return this.dtf === null;
  }

  wall(ms: number): Wall {
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

  offsetMinutes(ms: number): number {
    if (this.dtf === null) return 0;
    const w = this.wall(ms);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  }

  /** The instant a wall-clock time in this zone names (in a DST gap: after the jump). */
  instant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
    const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    if (this.dtf === null) return asUtc;
    let guess = asUtc - this.offsetMinutes(asUtc) * 60_000;
    const second2 = asUtc - this.offsetMinutes(guess) * 60_000;
    if (second2 !== guess) guess = Math.max(guess, second2);
    return guess;
  }

  dayKey(ms: number): string {
    const w = this.wall(ms);
    return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
  }

  offsetLabel(ms: number): string {
    const off = this.offsetMinutes(ms);
    if (off === 0) return 'UTC';
    const abs = Math.abs(off);
    return `UTC${off < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
}

// ---- the display zone setting (like the theme: remembered per machine)

const ZONE_KEY = 'catalyst-viewer-zone';
let current: DisplayZone = loadZone();

function loadZone(): DisplayZone {
  try {
    return DisplayZone.of(localStorage.getItem(ZONE_KEY));
  } catch {
    return DisplayZone.UTC;
  }
}

/** The zone every time is shown in. */
export function displayZone(): DisplayZone {
  return current;
}

/** Sets (and remembers) the display zone; throws for a name that is no zone. */
export function setDisplayZone(name: string): DisplayZone {
  current = DisplayZone.of(name);
  try {
    localStorage.setItem(ZONE_KEY, current.name);
  } catch {
    // storage unavailable: the choice lasts for this window
  }
  return current;
}

// ---- numbers

const formatters = new Map<number, Intl.NumberFormat>();
function grouped(decimals: number): Intl.NumberFormat {
  let f = formatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    formatters.set(decimals, f);
  }
  return f;
}

/** Rounds away float noise: 12 significant digits. */
export function clean(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  return Number(value.toPrecision(12));
}

export interface NumberStyle {
  decimals?: number;
  sign?: 'negative' | 'always';
  empty?: string;
}

export function formatNumber(value: number | null | undefined, style: NumberStyle = {}): string {
  const empty = style.empty ?? '–';
  if (value === null || value === undefined || !Number.isFinite(value)) return empty;
  const decimals = style.decimals ?? 2;
  const text = grouped(decimals).format(Math.abs(clean(value)));
  if (/^[0.,]+$/.test(text)) return text;
  if (value < 0) return `${MINUS}${text}`;
  return style.sign === 'always' ? `+${text}` : text;
}

/** Money: `1,234.50`, `−16.72`; `sign: 'always'` for P&L (`+25.00`). */
export function formatMoney(value: number | null | undefined, style: NumberStyle = {}): string {
  return formatNumber(value, { decimals: 2, ...style });
}

/** A price: four decimals (an average entry is never rounded to a whole tick). */
export function formatPrice(value: number | null | undefined, decimals = 4): string {
  return formatNumber(value, { decimals });
}

/** A price shown short: two decimals, four where the tick needs them (10.30, 0.9927). */
export function formatTick(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return formatNumber(value, { decimals: Number.isInteger(clean(value * 100)) ? 2 : 4 });
}

export function formatQuantity(value: number | null | undefined, maxDecimals = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const v = clean(value);
  const rounded = Number(v.toFixed(maxDecimals));
  const decimals = Number.isInteger(rounded) ? 0 : Math.min(maxDecimals, (String(rounded).split('.')[1] ?? '').length);
  return formatNumber(rounded, { decimals });
}

export function formatPercent(value: number | null | undefined, decimals = 2, sign: NumberStyle['sign'] = 'negative'): string {
  const text = formatNumber(value, { decimals, sign });
  return text === '–' ? text : `${text}%`;
}

export function formatRate(fraction: number | null | undefined, decimals = 2): string {
  return formatPercent(fraction === null || fraction === undefined ? fraction : fraction * 100, decimals);
}

/** `18 d 3 h`, `1 h 12 min`, `4 min 05 s`, `12 s`. */
export function formatHold(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min ${pad(sec)} s`;
  return `${sec} s`;
}

// ---- times

export interface TimeStyle {
  seconds?: boolean;
  /** Append the zone's name (default true: every shown time names its zone). */
  zone?: boolean;
  millis?: boolean;
}

function toMs(ms: number | string | null | undefined): number | null {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  return t === null || t === undefined || !Number.isFinite(t) ? null : t;
}

/** `2025-03-05 14:30:00 UTC`; 24-hour always. */
export function formatTimeIn(ms: number | string | null | undefined, zone: DisplayZone = current, style: TimeStyle = {}): string {
  const t = toMs(ms);
  if (t === null) return '–';
  const w = zone.wall(t);
  let clock = style.seconds === false ? `${pad(w.hour)}:${pad(w.minute)}` : `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (style.millis) clock += `.${pad(((t % 1000) + 1000) % 1000, 3)}`;
  const text = `${w.year}-${pad(w.month)}-${pad(w.day)} ${clock}`;
  return style.zone === false ? text : `${text} ${zone.name}`;
}

/** `14:30:00` in the display zone (for axes and legends; name the zone in the title). */
export function formatClockIn(ms: number | string | null | undefined, zone: DisplayZone = current, seconds = true): string {
  const t = toMs(ms);
  if (t === null) return '–';
  const w = zone.wall(t);
  return seconds ? `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` : `${pad(w.hour)}:${pad(w.minute)}`;
}

export function formatDateIn(ms: number | string | null | undefined, zone: DisplayZone = current): string {
  const t = toMs(ms);
  return t === null ? '–' : zone.dayKey(t);
}

/** `times in UTC`, `times in America/New_York (UTC-05:00)`. */
export function zoneCaption(zone: DisplayZone = current, at: number = Date.now()): string {
  return zone.isUtc ? 'times in UTC' : `times in ${zone.name} (${zone.offsetLabel(at)})`;
}

/** A datetime-local input's value for `ms`, in the display zone. */
export function toZoneInput(ms: number | null | undefined, zone: DisplayZone = current): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  const w = zone.wall(ms);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** A datetime-local input's value read as a wall-clock time in the display zone. */
export function fromZoneInput(text: string, zone: DisplayZone = current): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const daysInMonth = new Date(Date.UTC(y!, mo, 0)).getUTCDate();
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth || h! > 23 || mi! > 59 || s! > 59) return undefined;
  return zone.instant(y!, mo!, d!, h, mi, s);
}
