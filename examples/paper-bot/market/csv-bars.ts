import { readFileSync } from 'node:fs';
import { BotInputError } from '../errors';
import { cents } from '../util/round';
import { DAY_MS, MINUTE_MS, OPEN_MINUTE_UTC } from './calendar';
import type { Bar, MarketFeed } from './types';

const HEADER = ['timestamp', 'ticker', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Parses `timestamp,ticker,open,high,low,close,volume` (ISO time or Unix ms; `#` comments). */
export function parseBarsCsv(text: string, source = 'bars.csv'): Bar[] {
  const bars: Bar[] = [];
  const lines = text.split(/\r?\n/);
  let headerSeen = false;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    const where = `${source} line ${index + 1}`;
    if (!headerSeen) {
      headerSeen = true;
      if (cells.join(',').toLowerCase() !== HEADER.join(',')) {
        throw new BotInputError(where, `expected the header ${HEADER.join(',')}`);
      }
      return;
    }
    if (cells.length !== HEADER.length) {
      throw new BotInputError(where, `expected ${HEADER.length} columns, got ${cells.length}`);
    }
    const [ts, ticker, ...numbers] = cells as [string, string, string, string, string, string, string];
    const time = /^\d+$/.test(ts) ? Number(ts) : Date.parse(ts);
    if (!Number.isFinite(time)) throw new BotInputError(where, `bad timestamp '${ts}'`);
    const [open, high, low, close, volume] = numbers.map(Number) as [number, number, number, number, number];
    if (![open, high, low, close, volume].every((n) => Number.isFinite(n) && n >= 0)) {
      throw new BotInputError(where, 'prices and volume must be non-negative numbers');
    }
    if (low > high || open > high || open < low || close > high || close < low) {
      throw new BotInputError(where, 'open/close must lie within low..high');
    }
    if (ticker === '') throw new BotInputError(where, 'empty ticker');
    bars.push({ ticker, time, open, high, low, close, volume });
  });
  if (!headerSeen) throw new BotInputError(source, 'no header and no bars');
  return bars;
}

export function loadBarsCsv(file: string): Bar[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BotInputError(file, `cannot read (${(error as Error).message})`);
  }
  return parseBarsCsv(text, file);
}

/** Minutes since the session open of the bar's own (UTC) day. */
function sessionMinute(time: number): number {
  const midnight = Math.floor(time / DAY_MS) * DAY_MS;
  return Math.round((time - midnight) / MINUTE_MS) - OPEN_MINUTE_UTC;
}

/**
 * Replays recorded bars, re-stamped onto the simulated session: the file's days play in
 * order (and loop), minute by minute. News still moves the replayed prices through an
 * overlay factor per ticker, so the alert pipeline has something to trade on.
 */
export class CsvBarFeed implements MarketFeed {
  readonly tickers: readonly string[];
  /** day index -> minute -> bars */
  private readonly days: Map<number, Bar[]>[] = [];
  private readonly factor = new Map<string, number>();
  private readonly haltedUntil = new Map<string, number>();
  private readonly last = new Map<string, number>();
  private dayOpen = 0;
  private dayIndex = -1;

  constructor(
    bars: readonly Bar[],
    tickers?: readonly string[],
    private readonly halt = { thresholdPct: 0.1, minutes: 5 },
  ) {
    const wanted = tickers ? new Set(tickers) : null;
    const byDay = new Map<number, Map<number, Bar[]>>();
    for (const bar of bars) {
      if (wanted && !wanted.has(bar.ticker)) continue;
      const day = Math.floor(bar.time / DAY_MS);
      const minutes = byDay.get(day) ?? new Map<number, Bar[]>();
      byDay.set(day, minutes);
      const minute = sessionMinute(bar.time);
      minutes.set(minute, [...(minutes.get(minute) ?? []), bar]);
    }
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) this.days.push(byDay.get(day)!);
    const seen = new Set<string>();
    for (const bar of bars) if (!wanted || wanted.has(bar.ticker)) seen.add(bar.ticker);
    this.tickers = tickers ? tickers.filter((t) => seen.has(t)) : [...seen].sort();
    if (this.days.length === 0) throw new BotInputError('bars', 'no bars for the chosen tickers');
  }

  /** Called by the session at each day's open: selects which recorded day plays next. */
  startDay(index: number, open: number): void {
    this.dayIndex = index % this.days.length;
    this.dayOpen = open;
  }

  barsAt(time: number): Bar[] {
    if (this.dayIndex < 0) this.startDay(0, time);
    const minute = Math.round((time - this.dayOpen) / MINUTE_MS);
    const recorded = this.days[this.dayIndex]!.get(minute) ?? [];
    const out: Bar[] = [];
    for (const bar of recorded) {
      if (this.isHalted(bar.ticker, time)) continue;
      const f = this.factor.get(bar.ticker) ?? 1;
      const scaled: Bar = {
        ticker: bar.ticker,
        time,
        open: Math.max(0.01, cents(bar.open * f)),
        high: Math.max(0.01, cents(bar.high * f)),
        low: Math.max(0.01, cents(bar.low * f)),
        close: Math.max(0.01, cents(bar.close * f)),
        volume: bar.volume,
      };
      this.last.set(bar.ticker, scaled.close);
      out.push(scaled);
    }
    return out;
  }

  isHalted(ticker: string, time: number): boolean {
    return time < (this.haltedUntil.get(ticker) ?? -Infinity);
  }

  applyNews(ticker: string, time: number, impactPct: number): void {
    this.factor.set(ticker, (this.factor.get(ticker) ?? 1) * (1 + impactPct));
    if (Math.abs(impactPct) >= this.halt.thresholdPct) {
      this.haltedUntil.set(ticker, time + this.halt.minutes * MINUTE_MS);
    }
  }

  lastPrice(ticker: string): number | undefined {
    return this.last.get(ticker);
  }
}
