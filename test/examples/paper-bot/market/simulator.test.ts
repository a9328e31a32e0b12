import { describe, expect, it } from 'vitest';
import { MINUTE_MS, tradingDays } from '../../../../examples/paper-bot/market/calendar';
import { MarketSimulator } from '../../../../examples/paper-bot/market/simulator';
import { DEFAULT_TICKERS } from '../../../../examples/paper-bot/market/tickers';
import type { Bar } from '../../../../examples/paper-bot/market/types';
import { Prng } from '../../../../examples/paper-bot/util/prng';

const day = tradingDays('2025-03-03', 1)[0]!;
function run(seed: number, minutes = 60, tickers = DEFAULT_TICKERS.slice(0, 3)): Bar[] {
  const sim = new MarketSimulator(tickers, new Prng(seed));
  const bars: Bar[] = [];
  for (let m = 0; m < minutes; m++) bars.push(...sim.barsAt(day.open + m * MINUTE_MS));
  return bars;
}

describe('MarketSimulator', () => {
  it('is deterministic per seed', () => {
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it('produces well-formed bars in cents', () => {
    const bars = run(3, 390);
    expect(bars).toHaveLength(390 * 3);
    const bad = bars.filter(
      (b) =>
        b.low > Math.min(b.open, b.close) ||
        b.high < Math.max(b.open, b.close) ||
        b.low <= 0 ||
        b.volume < 100 ||
        Math.round(b.close * 100) / 100 !== b.close,
    );
    expect(bad).toEqual([]);
  });

  it("does not change one ticker's path when another ticker is added", () => {
    const one = run(5, 30, DEFAULT_TICKERS.slice(0, 1));
    const three = run(5, 30, DEFAULT_TICKERS.slice(0, 3)).filter((b) => b.ticker === DEFAULT_TICKERS[0]!.ticker);
    expect(three).toEqual(one);
  });

  it('gaps on news and halts trading on a big move', () => {
    const profile = { ...DEFAULT_TICKERS[0]!, dailyVolatility: 0.0001, dailyDrift: 0 };
    const sim = new MarketSimulator([profile], new Prng(1));
    const t0 = day.open;
    const before = sim.barsAt(t0)[0]!.close;
    sim.applyNews(profile.ticker, t0, 0.2);
    expect(sim.isHalted(profile.ticker, t0 + MINUTE_MS)).toBe(true);
    expect(sim.barsAt(t0 + MINUTE_MS)).toEqual([]);
    const reopen = t0 + 5 * MINUTE_MS;
    expect(sim.isHalted(profile.ticker, reopen)).toBe(false);
    const bar = sim.barsAt(reopen)[0]!;
    expect(bar.open / before).toBeGreaterThan(1.1);
  });

  it('does not halt on a small move', () => {
    const sim = new MarketSimulator(DEFAULT_TICKERS.slice(0, 1), new Prng(1));
    sim.applyNews(DEFAULT_TICKERS[0]!.ticker, day.open, 0.03);
    expect(sim.barsAt(day.open + MINUTE_MS)).toHaveLength(1);
  });
});

describe('trading calendar', () => {
  it('skips weekends and opens at 14:30 UTC', () => {
    const days = tradingDays('2025-03-07', 3); // a Friday
    expect(days.map((d) => d.date)).toEqual(['2025-03-07', '2025-03-10', '2025-03-11']);
    expect(new Date(days[0]!.open).toISOString()).toBe('2025-03-07T14:30:00.000Z');
    expect(days[0]!.close - days[0]!.open).toBe(390 * MINUTE_MS);
  });
});
