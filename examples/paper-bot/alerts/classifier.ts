import { roundTo } from '../util/round';
import { CATALYSTS, SOURCE_RELIABILITY } from './catalysts';
import type { Classification, NewsAlert } from './types';

export const CLASSIFICATION_VERSION = '1.2';

/**
 * Keyword classification: the catalyst whose keywords match the headline most (ties go
 * to the heavier catalyst). Confidence grows with matches and the wire's reliability.
 */
export function classifyHeadline(alert: NewsAlert): Classification {
  const text = alert.headline.toLowerCase();
  let best: { spec: (typeof CATALYSTS)[number]; matched: string[] } | null = null;
  for (const spec of CATALYSTS) {
    const matched = spec.keywords.filter((k) => text.includes(k));
    if (matched.length === 0) continue;
    if (!best || matched.length > best.matched.length || (matched.length === best.matched.length && spec.weight > best.spec.weight)) {
      best = { spec, matched };
    }
  }
  const reliability = SOURCE_RELIABILITY[alert.source] ?? 0;
  const matches = best?.matched.length ?? 0;
  return {
    alert_id: alert.alert_id,
    ticker: alert.ticker,
    catalyst_type: best?.spec.type ?? 'unknown',
    score: best?.spec.weight ?? 0.05,
    keywords_matched: best?.matched ?? [],
    confidence: roundTo(clamp(0.3 + 0.15 * matches + 2 * reliability, 0.05, 0.99), 4),
    sentiment: best?.spec.sentiment ?? 0,
    sentiment_sources: ['keywords', `source:${alert.source}`],
    classification_version: CLASSIFICATION_VERSION,
  };
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
