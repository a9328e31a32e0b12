import type { Bar } from './types';

/** Recent closes per ticker, so the pipeline can ask "how far has it moved in N minutes?". */
export class PriceTape {
  private readonly closes = new Map<string, { time: number; close: number }[]>();

  constructor(private readonly keepMinutes = 60) {}

  record(bar: Bar): void {
    const list = this.closes.get(bar.ticker) ?? [];
    list.push({ time: bar.time, close: bar.close });
    if (list.length > this.keepMinutes) list.shift();
    this.closes.set(bar.ticker, list);
  }

  last(ticker: string): number | undefined {
    const list = this.closes.get(ticker);
    return list?.[list.length - 1]?.close;
  }

  /** Close at or before `time`, if the tape still holds it. */
  at(ticker: string, time: number): number | undefined {
    const list = this.closes.get(ticker) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.time <= time) return list[i]!.close;
    return undefined;
  }

  /** Fractional change over the last `minutes` (0 when unknown). */
  change(ticker: string, now: number, minutes: number): number {
    const then = this.at(ticker, now - minutes * 60_000);
    const last = this.last(ticker);
    return then && last ? last / then - 1 : 0;
  }

  /** A new session: yesterday's closes say nothing about today's minutes. */
  clear(): void {
    this.closes.clear();
  }
}
