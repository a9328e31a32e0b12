import type { Prng } from '../util/prng';
import { cents } from '../util/round';
import { MINUTE_MS, SESSION_MINUTES } from './calendar';
import type { Bar, MarketFeed } from './types';
import type { TickerProfile } from './tickers';

export interface SimulatorOptions {
  /** A news move at least this large pauses trading (a LULD-style halt). */
  haltThresholdPct: number;
  haltMinutes: number;
  /** Share of a news move that gaps at once; the rest drifts in over the next minutes. */
  jumpShare: number;
  /** Per-minute decay of the post-news drift. */
  momentumDecay: number;
}

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  haltThresholdPct: 0.1,
  haltMinutes: 5,
  jumpShare: 0.6,
  momentumDecay: 0.85,
};

interface TickerState {
  profile: TickerProfile;
  rng: Prng;
  price: number;
  /** Extra per-minute log drift after news; decays geometrically. */
  momentum: number;
  /** Log jump applied at the next bar's open. */
  pendingJump: number;
  /** Extra volume multiplier after news; decays with the momentum. */
  excitement: number;
  haltedUntil: number;
}

/**
 * A random walk per ticker (geometric, with drift and volatility scaled to one minute),
 * gaps and momentum on news, and halts on big news. Each ticker draws from its own PRNG
 * fork, so adding a ticker does not change the others' paths.
 */
export class MarketSimulator implements MarketFeed {
  private readonly state = new Map<string, TickerState>();
  readonly tickers: readonly string[];

  constructor(
    profiles: readonly TickerProfile[],
    prng: Prng,
    private readonly options: SimulatorOptions = DEFAULT_SIMULATOR_OPTIONS,
  ) {
    this.tickers = profiles.map((p) => p.ticker);
    for (const profile of profiles) {
      this.state.set(profile.ticker, {
        profile,
        rng: prng.fork(`market:${profile.ticker}`),
        price: profile.startPrice,
        momentum: 0,
        pendingJump: 0,
        excitement: 0,
        haltedUntil: -Infinity,
      });
    }
  }

  barsAt(time: number): Bar[] {
    const bars: Bar[] = [];
    for (const ticker of this.tickers) {
      const s = this.state.get(ticker)!;
      if (time < s.haltedUntil) continue; // halted: no trades, the price waits for the reopen
      bars.push(this.nextBar(s, time));
    }
    return bars;
  }

  isHalted(ticker: string, time: number): boolean {
    const s = this.state.get(ticker);
    return s !== undefined && time < s.haltedUntil;
  }

  applyNews(ticker: string, time: number, impactPct: number): void {
    const s = this.state.get(ticker);
    if (!s) return;
    const total = Math.log(1 + impactPct);
    s.pendingJump += total * this.options.jumpShare;
    // Spread the rest over the decaying drift: sum of m * d^k = m / (1 - d).
    s.momentum += total * (1 - this.options.jumpShare) * (1 - this.options.momentumDecay);
    s.excitement += Math.min(8, Math.abs(impactPct) * 40);
    if (Math.abs(impactPct) >= this.options.haltThresholdPct) {
      s.haltedUntil = Math.max(s.haltedUntil, time + this.options.haltMinutes * MINUTE_MS);
    }
  }

  lastPrice(ticker: string): number | undefined {
    return this.state.get(ticker)?.price;
  }

  private nextBar(s: TickerState, time: number): Bar {
    const { profile, rng } = s;
    const steps = 4;
    const sigma = profile.dailyVolatility / Math.sqrt(SESSION_MINUTES * steps);
    const drift = profile.dailyDrift / (SESSION_MINUTES * steps);
    let logPrice = Math.log(s.price) + s.pendingJump;
    s.pendingJump = 0;
    const open = cents(Math.exp(logPrice));
    let high = open;
    let low = open;
    for (let i = 0; i < steps; i++) {
      logPrice += drift + s.momentum / steps + sigma * rng.normal();
      const p = Math.exp(logPrice);
      high = Math.max(high, p);
      low = Math.min(low, p);
    }
    const close = Math.max(0.01, cents(Math.exp(logPrice)));
    const move = Math.abs(Math.log(close / Math.max(open, 0.01)));
    const volume = Math.round(profile.baseVolume * (1 + s.excitement + 40 * move) * Math.exp(0.4 * rng.normal()));
    s.price = close;
    s.momentum *= this.options.momentumDecay;
    s.excitement *= this.options.momentumDecay;
    return {
      ticker: profile.ticker,
      time,
      open: Math.max(0.01, open),
      high: Math.max(0.01, cents(high), open, close),
      low: Math.max(0.01, Math.min(cents(low), open, close)),
      close,
      volume: Math.max(100, volume),
    };
  }
}
