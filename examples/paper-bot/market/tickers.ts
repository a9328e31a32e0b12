import type { Prng } from '../util/prng';
import { cents } from '../util/round';

/** How a ticker moves: the small caps a catalyst trader watches, with made-up names. */
export interface TickerProfile {
  ticker: string;
  company: string;
  sector: 'biotech' | 'tech' | 'energy' | 'industrial' | 'consumer';
  startPrice: number;
  /** Expected return over one session (e.g. 0.002 = +0.2 %). */
  dailyDrift: number;
  /** Standard deviation of one session's log return. */
  dailyVolatility: number;
  /** Typical shares traded per minute. */
  baseVolume: number;
}

export const DEFAULT_TICKERS: readonly TickerProfile[] = [
  {
    ticker: 'BIOX',
    company: 'Bioxa Therapeutics',
    sector: 'biotech',
    startPrice: 6.4,
    dailyDrift: 0.001,
    dailyVolatility: 0.05,
    baseVolume: 9_000,
  },
  {
    ticker: 'QNTM',
    company: 'Quantum Grid Systems',
    sector: 'tech',
    startPrice: 18.25,
    dailyDrift: 0.002,
    dailyVolatility: 0.035,
    baseVolume: 6_000,
  },
  {
    ticker: 'SOLR',
    company: 'Solaris Renewables',
    sector: 'energy',
    startPrice: 11.8,
    dailyDrift: 0.0,
    dailyVolatility: 0.04,
    baseVolume: 7_000,
  },
  {
    ticker: 'MDTX',
    company: 'Meditrax Labs',
    sector: 'biotech',
    startPrice: 3.15,
    dailyDrift: -0.001,
    dailyVolatility: 0.06,
    baseVolume: 12_000,
  },
  {
    ticker: 'ARKO',
    company: 'Arkon Robotics',
    sector: 'industrial',
    startPrice: 24.6,
    dailyDrift: 0.001,
    dailyVolatility: 0.03,
    baseVolume: 4_000,
  },
];

const SECTORS: readonly TickerProfile['sector'][] = ['biotech', 'tech', 'energy', 'industrial', 'consumer'];

/** A known profile, or a plausible one made up from the PRNG for any other symbol. */
export function profileFor(ticker: string, prng: Prng): TickerProfile {
  const known = DEFAULT_TICKERS.find((p) => p.ticker === ticker);
  if (known) return known;
  const rng = prng.fork(`profile:${ticker}`);
  return {
    ticker,
    company: `${ticker.charAt(0)}${ticker.slice(1).toLowerCase()} Holdings`,
    sector: rng.pick(SECTORS),
    startPrice: cents(rng.float(2, 40)),
    dailyDrift: rng.float(-0.002, 0.003),
    dailyVolatility: rng.float(0.025, 0.06),
    baseVolume: rng.int(3_000, 12_000),
  };
}

export const TICKER_PATTERN = /^[A-Z][A-Z0-9.]{0,9}$/;
