/**
 * Display helpers for people, shared by the CLI and the viewer so both print the same
 * instant and the same amount the same way: times in one named zone, 24-hour; money and
 * quantities with thousands separators, fixed decimals, a real minus sign (U+2212) and no
 * float noise. Raw values stay in the JSON; these are only for what is shown.
 *
 * This file and what it imports (time-zone.ts, time-errors.ts) never reach the core, so the
 * viewer's renderer can import it directly: `src-plugins/analytics/format`.
 */
import { TimeZone } from './time-zone';

export { TimeZone, DayBuckets, parseTimeIn } from './time-zone';
export { InvalidTimeError, UnknownTimeZoneError } from './time-errors';

/** The minus sign people read (not the hyphen-minus). */
export const MINUS = '\u2212';

const formatters = new Map<number, Intl.NumberFormat>();

function grouped(decimals: number): Intl.NumberFormat {
  let f = formatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    formatters.set(decimals, f);
  }
  return f;
}

/** Rounds away float noise (0.1 + 0.2) before a value is shown: 12 significant digits. */
export function clean(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value === 0 ? 0 : value;
  return Number(value.toPrecision(12));
}

export interface NumberStyle {
  /** Fixed decimals. */
  decimals?: number;
  /** `always`: a plus sign on positive values too (P&L columns). Default `negative`. */
  sign?: 'negative' | 'always';
  /** Shown for null / non-finite values. Default `–`. */
  empty?: string;
}

/** `1,234.50`, `−16.72`, `+3.10` (sign 'always'); never `-0.00`. */
export function formatNumber(value: number | null | undefined, style: NumberStyle = {}): string {
  const empty = style.empty ?? '–';
  if (value === null || value === undefined || !Number.isFinite(value)) return empty;
  const decimals = style.decimals ?? 2;
  const text = grouped(decimals).format(Math.abs(clean(value)));
  const zero = /^[0.,]+$/.test(text);
  if (zero) return text;
  if (value < 0) return `${MINUS}${text}`;
  return style.sign === 'always' ? `+${text}` : text;
}

/** Money: two decimals, separators, a minus sign. `formatMoney(-16.720000000000013)` is `−16.72`. */
export function formatMoney(value: number | null | undefined, style: Omit<NumberStyle, 'decimals'> & { decimals?: number } = {}): string {
  return formatNumber(value, { decimals: 2, ...style });
}

/**
 * A price: four decimals by default, so an average entry (0.9927, 3.3036) is never shown
 * rounded to a whole tick.
 */
export function formatPrice(value: number | null | undefined, decimals = 4): string {
  return formatNumber(value, { decimals });
}

/** A quantity: whole shares without decimals, fractional ones with up to `maxDecimals`. */
export function formatQuantity(value: number | null | undefined, maxDecimals = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const v = clean(value);
  const rounded = Number(v.toFixed(maxDecimals));
  const decimals = Number.isInteger(rounded) ? 0 : Math.min(maxDecimals, (String(rounded).split('.')[1] ?? '').length);
  return formatNumber(rounded, { decimals });
}

/** `12.50 %` style without the space: `−5.77%`. `value` is already in percent. */
export function formatPercent(value: number | null | undefined, decimals = 2, sign: NumberStyle['sign'] = 'negative'): string {
  const text = formatNumber(value, { decimals, sign });
  return text === '–' ? text : `${text}%`;
}

/** A fraction (0.5686) as a percent (`56.86%`). */
export function formatRate(fraction: number | null | undefined, decimals = 2): string {
  return formatPercent(fraction === null || fraction === undefined ? fraction : fraction * 100, decimals);
}

/** `18 d 3 h`, `1 h 12 min`, `13 min`, `4 min 05 s`, `12 s`. */
export function formatHold(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return sec > 0 ? `${m} min ${String(sec).padStart(2, '0')} s` : `${m} min`;
  return `${sec} s`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export interface TimeStyle {
  /** Show seconds. Default true. */
  seconds?: boolean;
  /** Append the zone's name. Default true: every shown time names its zone. */
  zone?: boolean;
}

/** `2025-03-05 14:30:00 UTC`, `2025-03-05 09:30:00 America/New_York`; 24-hour always. */
export function formatTime(ms: number | string | null | undefined, zone: TimeZone = TimeZone.UTC, style: TimeStyle = {}): string {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (t === null || t === undefined || !Number.isFinite(t)) return '–';
  const w = zone.wall(t);
  const clock = style.seconds === false ? `${pad(w.hour)}:${pad(w.minute)}` : `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  const text = `${w.year}-${pad(w.month)}-${pad(w.day)} ${clock}`;
  return style.zone === false ? text : `${text} ${zone.name}`;
}

/** `2025-03-05` in the zone (name it in a header or column title: see zoneCaption). */
export function formatDate(ms: number | string | null | undefined, zone: TimeZone = TimeZone.UTC): string {
  const t = typeof ms === 'string' ? Date.parse(ms) : ms;
  if (t === null || t === undefined || !Number.isFinite(t)) return '–';
  return zone.dayKey(t);
}

/** For a column or axis title: `times in UTC`, `times in America/New_York (UTC-05:00)`. */
export function zoneCaption(zone: TimeZone, at: number = Date.now()): string {
  return zone.isUtc ? 'times in UTC' : `times in ${zone.name} (${zone.offsetLabel(at)})`;
}
