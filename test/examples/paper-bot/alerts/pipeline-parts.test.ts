import { describe, expect, it } from 'vitest';
import { classifyHeadline } from '../../../../examples/paper-bot/alerts/classifier';
import { decide, DEFAULT_POLICY } from '../../../../examples/paper-bot/alerts/decision-policy';
import { SlidingWindowLimiter } from '../../../../examples/paper-bot/alerts/rate-limiter';
import { scoreAlert } from '../../../../examples/paper-bot/alerts/scorer';
import type { NewsAlert } from '../../../../examples/paper-bot/alerts/types';

const alert = (headline: string, source = 'businesswire'): NewsAlert => ({
  alert_id: 'a1',
  ticker: 'BIOX',
  headline,
  source,
  received_at: 0,
});

describe('classifier', () => {
  it.each([
    ['Bioxa receives FDA approval for ZX-101', 'fda_approval', 1],
    ['Bioxa announces proposed public offering of common stock', 'offering', -1],
    ['Class action lawsuit filed against Bioxa', 'lawsuit', -1],
    ['Bioxa to present at Lakeshore growth conference', 'conference', 0],
    ['Bioxa names new chief financial officer', 'unknown', 0],
  ])('%s -> %s', (headline, type, sentiment) => {
    const c = classifyHeadline(alert(headline));
    expect(c.catalyst_type).toBe(type);
    expect(c.sentiment).toBe(sentiment);
    expect(c.confidence).toBeGreaterThan(0);
    expect(c.confidence).toBeLessThan(1);
  });

  it('is more confident with more keywords and a reliable wire', () => {
    const strong = classifyHeadline(alert('Bioxa receives FDA approval for ZX-101', 'sec_edgar'));
    const weak = classifyHeadline(alert('Bioxa announces approval pathway update', 'social'));
    expect(strong.keywords_matched.length).toBeGreaterThan(weak.keywords_matched.length);
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
  });
});

describe('decision policy', () => {
  const base = (score: number, headline = 'Bioxa receives FDA approval for ZX-101') => {
    const a = alert(headline);
    const classification = classifyHeadline(a);
    return {
      alert: a,
      classification,
      score: { alert_id: 'a1', score, components: {} },
      minuteOfSession: 60,
      flags: [] as string[],
      recheckMovePct: null as number | null,
      now: 1_000,
    };
  };

  it.each([
    ['trade', 0.8, {}, 'score_passed'],
    ['wait', 0.6, {}, 'near_threshold'],
    ['skip', 0.4, {}, 'score_below_threshold'],
    ['skip', 0.9, { minuteOfSession: 360 }, 'late_session'],
    ['skip', 0.9, { flags: ['position_open'] }, 'position_open'],
    ['trade', 0.6, { recheckMovePct: 0.01 }, 'price_confirmed'],
    ['skip', 0.6, { recheckMovePct: 0.001 }, 'not_confirmed'],
  ] as const)('%s at score %s %o (%s)', (kind, score, over, code) => {
    const d = decide({ ...base(score), ...over, flags: [...((over as { flags?: string[] }).flags ?? [])] }, DEFAULT_POLICY);
    expect(d.decision).toBe(kind);
    expect(d.reason_code).toBe(code);
    expect(d.min_score_threshold).toBe(DEFAULT_POLICY.minScore);
    expect(d.reasoning.length).toBeGreaterThan(10);
  });

  it('shorts a bearish catalyst, and schedules a recheck for a wait', () => {
    expect(decide(base(0.9, 'Bioxa announces proposed public offering of common stock'), DEFAULT_POLICY).action).toBe('short');
    expect(decide(base(0.6), DEFAULT_POLICY).recheck_at).toBe(1_000 + DEFAULT_POLICY.recheckMinutes * 60_000);
  });
});

describe('scorer and rate limiter', () => {
  it('sums named components into a 0..1 score', () => {
    const a = alert('Bioxa receives FDA approval for ZX-101');
    const s = scoreAlert(a, classifyHeadline(a), { minuteOfSession: 10, confirmingMovePct: 0.02 });
    expect(Object.keys(s.components)).toEqual(['catalyst', 'keywords', 'source', 'timing', 'momentum']);
    expect(s.score).toBeCloseTo(
      Object.values(s.components).reduce((x, y) => x + y, 0),
      4,
    );
  });

  it('limits per key within a sliding window', () => {
    const limiter = new SlidingWindowLimiter(2, 300);
    expect([0, 60_000, 120_000].map((t) => limiter.allow('BIOX', t))).toEqual([true, true, false]);
    expect(limiter.allow('QNTM', 120_000)).toBe(true);
    expect(limiter.allow('BIOX', 301_000)).toBe(true);
  });
});
