import { MINUTE_MS, SESSION_MINUTES, type TradingDay } from '../market/calendar';
import type { TickerProfile } from '../market/tickers';
import type { RunIds } from '../util/ids';
import type { Prng } from '../util/prng';
import { roundTo } from '../util/round';
import { CATALYSTS, SOURCE_RELIABILITY, type CatalystSpec } from './catalysts';
import type { NewsAlert } from './types';

/** A generated story: the alert the bot sees, and the move the market will make. */
export interface NewsItem {
  alert: NewsAlert;
  /** Hidden from the bot: the price impact the simulator applies (fraction, signed). */
  impactPct: number;
  catalyst: CatalystSpec['type'];
}

export interface NewsWireOptions {
  /** Expected stories per ticker per day. */
  storiesPerTicker: number;
  /** Chance that a story is re-published by other wires minutes later (rate-limit fodder). */
  echoChance: number;
}

export const DEFAULT_NEWS_OPTIONS: NewsWireOptions = { storiesPerTicker: 4, echoChance: 0.25 };

const DRUGS = ['ZX-101', 'Veltrana', 'OT-44', 'Cardiva', 'NRX-7'];
const PARTNERS = ['Helix Corp', 'Northwind', 'Orbital Labs', 'Pioneer Health', 'Sable Energy'];
const BANKS = ['Ridgeway Capital', 'Lakeshore Securities', 'Harbor & Finch'];
const SOURCES = Object.keys(SOURCE_RELIABILITY);

/**
 * Synthetic newswire for one trading day: stories at random minutes of the session,
 * drawn from the catalyst table, some echoed by other wires a minute or two later.
 */
export class NewsWire {
  constructor(
    private readonly profiles: readonly TickerProfile[],
    private readonly prng: Prng,
    private readonly ids: RunIds,
    private readonly options: NewsWireOptions = DEFAULT_NEWS_OPTIONS,
  ) {}

  /** Every story of the day, sorted by time (ids assigned in that order). */
  day(day: TradingDay): NewsItem[] {
    const rng = this.prng.fork(`news:${day.date}`);
    const drafts: { time: number; ticker: TickerProfile; spec: CatalystSpec; headline: string; source: string; impact: number }[] = [];
    for (const profile of this.profiles) {
      const count = poisson(rng, this.options.storiesPerTicker);
      for (let i = 0; i < count; i++) {
        // Leave the first minutes (opening auction noise) and the last ones out.
        const minute = rng.int(3, SESSION_MINUTES - 20);
        const spec = pickCatalyst(rng, profile);
        const headline = fill(rng.pick(spec.headlines), profile, rng);
        const direction = spec.sentiment === 0 ? rng.pick([1, -1]) : rng.chance(spec.surprise) ? -spec.sentiment : spec.sentiment;
        const size = spec.move * Math.exp(0.45 * rng.normal());
        const impact = roundTo(direction * Math.min(size, 0.45), 4);
        const source = rng.pick(SOURCES);
        drafts.push({ time: day.open + minute * MINUTE_MS, ticker: profile, spec, headline, source, impact });
        if (rng.chance(this.options.echoChance)) {
          // The same story on other wires: no new move, but the rate limiter has work.
          const echoes = rng.int(2, 3);
          for (let e = 1; e <= echoes; e++) {
            drafts.push({
              time: day.open + (minute + e) * MINUTE_MS,
              ticker: profile,
              spec,
              headline,
              source: rng.pick(SOURCES),
              impact: 0,
            });
          }
        }
      }
    }
    drafts.sort((a, b) => a.time - b.time || a.ticker.ticker.localeCompare(b.ticker.ticker));
    return drafts.map((d) => ({
      alert: {
        alert_id: this.ids.next('alert'),
        ticker: d.ticker.ticker,
        headline: d.headline,
        source: d.source,
        received_at: d.time,
      },
      impactPct: d.impact,
      catalyst: d.spec.type,
    }));
  }
}

function pickCatalyst(rng: Prng, profile: TickerProfile): CatalystSpec {
  const biotech = profile.sector === 'biotech';
  return rng.weighted(
    CATALYSTS.map((c) => {
      const drug = c.type === 'fda_approval' || c.type === 'trial_failure';
      return [c, drug ? (biotech ? 3 : 0) : c.type === 'conference' ? 1.5 : 1] as const;
    }),
  );
}

function fill(template: string, profile: TickerProfile, rng: Prng): string {
  return template
    .replaceAll('{co}', profile.company)
    .replaceAll('{drug}', rng.pick(DRUGS))
    .replaceAll('{partner}', rng.pick(PARTNERS))
    .replaceAll('{bank}', rng.pick(BANKS))
    .replaceAll('{q}', String(rng.int(1, 4)))
    .replaceAll('{n}', String(rng.int(5, 90)));
}

/** Knuth's method: fine for the small means used here. */
function poisson(rng: Prng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
