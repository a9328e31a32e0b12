/**
 * Trading days and hours. Regular US hours in UTC (09:30-16:00 New York, winter time):
 * the simulation has no time zone database and needs none, it only needs a fixed day.
 */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const OPEN_MINUTE_UTC = 14 * 60 + 30;
export const SESSION_MINUTES = 390;

export interface TradingDay {
  /** 0-based index within the run. */
  index: number;
  /** YYYY-MM-DD. */
  date: string;
  open: number;
  close: number;
}

export function parseDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

const isWeekend = (midnight: number): boolean => {
  const weekday = new Date(midnight).getUTCDay();
  return weekday === 0 || weekday === 6;
};

/** `count` consecutive weekdays starting at `startDate` (itself moved forward off a weekend). */
export function tradingDays(startDate: string, count: number): TradingDay[] {
  const days: TradingDay[] = [];
  let midnight = parseDate(startDate);
  while (days.length < count) {
    if (!isWeekend(midnight)) {
      const open = midnight + OPEN_MINUTE_UTC * MINUTE_MS;
      days.push({
        index: days.length,
        date: new Date(midnight).toISOString().slice(0, 10),
        open,
        close: open + SESSION_MINUTES * MINUTE_MS,
      });
    }
    midnight += DAY_MS;
  }
  return days;
}

export function isTradingTime(day: TradingDay, time: number): boolean {
  return time >= day.open && time < day.close;
}
