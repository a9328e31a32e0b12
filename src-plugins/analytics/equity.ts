/**
 * Marked-to-market equity (realized + unrealized P&L) over the stream: the running peak and
 * the deepest fall for the book, each ticker and each day, and a bucketed curve whose bucket
 * width doubles whenever it would exceed its bound, so memory stays bounded on any log.
 */
import type { EquityPoint } from './types';
import { iso } from './values';

/** Peak-to-trough of a running value. */
export class Drawdown {
  value = 0;
  peak = 0;
  max = 0;

  constructor(start = 0) {
    this.value = start;
    this.peak = start;
  }

  move(delta: number): void {
    this.set(this.value + delta);
  }

  set(value: number): void {
    this.value = value;
    if (value > this.peak) this.peak = value;
    else if (this.peak - value > this.max) this.max = this.peak - value;
  }
}

interface Bucket {
  start: number;
  realized: number;
  equity: number;
  low: number;
  high: number;
  drawdown: number;
}

export class EquityCurve {
  private buckets: Bucket[] = [];
  private width: number;
  private origin: number | null = null;

  constructor(
    private readonly maxBuckets = 2000,
    initialWidthMs = 60_000,
  ) {
    this.width = initialWidthMs;
  }

  get bucketSeconds(): number {
    return this.width / 1000;
  }

  /** Records the book's equity after an event at `at`; `drawdown` is the fall below the running peak. */
  record(at: number, realized: number, equity: number, drawdown: number): void {
    if (this.origin === null) this.origin = at;
    const start = this.origin + Math.floor(Math.max(0, at - this.origin) / this.width) * this.width;
    const last = this.buckets[this.buckets.length - 1];
    // A clock that stepped back lands in the last bucket: the curve never goes back in time.
    if (last && start <= last.start) {
      last.realized = realized;
      last.equity = equity;
      if (equity < last.low) last.low = equity;
      if (equity > last.high) last.high = equity;
      if (drawdown > last.drawdown) last.drawdown = drawdown;
      return;
    }
    this.buckets.push({ start, realized, equity, low: equity, high: equity, drawdown });
    if (this.buckets.length > this.maxBuckets) this.coarsen();
  }

  private coarsen(): void {
    this.width *= 2;
    const merged: Bucket[] = [];
    for (const b of this.buckets) {
      const start = this.origin! + Math.floor((b.start - this.origin!) / this.width) * this.width;
      const last = merged[merged.length - 1];
      if (last && last.start === start) {
        last.realized = b.realized;
        last.equity = b.equity;
        last.low = Math.min(last.low, b.low);
        last.high = Math.max(last.high, b.high);
        last.drawdown = Math.max(last.drawdown, b.drawdown);
      } else {
        merged.push({ ...b, start });
      }
    }
    this.buckets = merged;
  }

  points(): EquityPoint[] {
    return this.buckets.map((b) => ({
      at: iso(b.start),
      realized: b.realized,
      equity: b.equity,
      equity_low: b.low,
      equity_high: b.high,
      drawdown: b.drawdown,
    }));
  }
}
