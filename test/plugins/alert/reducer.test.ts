import { describe, expect, it } from 'vitest';
import { alertReducer, type AlertState } from '../../../src-plugins/alert/reducer';
import { foldFrozen, stream } from '../events';

type Step = [eventType: string, payload: Record<string, unknown>];

const RECEIVED: Step = ['ALERT_RECEIVED', { alert_id: 'a1', ticker: 'ACME', headline: 'ACME wins FDA approval', source: 'newswire' }];
const CLASSIFIED: Step = [
  'ALERT_CLASSIFIED',
  {
    alert_id: 'a1',
    ticker: 'ACME',
    catalyst_type: 'fda_approval',
    score: 0.82,
    keywords_matched: ['fda', 'approval'],
    confidence: 0.9,
    sentiment_sources: ['finbert'],
    classification_version: '1.0',
  },
];
const SCORED: Step = ['ALERT_SCORED', { alert_id: 'a1', score: 0.85, components: { keywords: 0.5, sentiment: 0.35 } }];

const cases: Array<{ name: string; steps: Step[]; expected: Partial<AlertState>; anomalies?: string[] }> = [
  {
    name: 'received -> classified -> scored -> trade -> executed',
    steps: [
      RECEIVED,
      CLASSIFIED,
      SCORED,
      [
        'ALERT_DECISION_MADE',
        { alert_id: 'a1', decision: 'trade', reasoning: 'score 0.85 >= 0.7', score: 0.85, min_score_threshold: 0.7, signal_id: 's1' },
      ],
      ['ALERT_TRADE_EXECUTED', { alert_id: 'a1', signal_id: 's1', order_id: 'o1' }],
    ],
    expected: {
      status: 'executed',
      ticker: 'ACME',
      score: 0.85,
      signal_id: 's1',
      order_ids: ['o1'],
      classification: {
        catalyst_type: 'fda_approval',
        score: 0.82,
        keywords_matched: ['fda', 'approval'],
        confidence: 0.9,
        sentiment_sources: ['finbert'],
        classification_version: '1.0',
      },
    },
  },
  {
    name: 'a skip keeps its decision inputs: score, threshold, reason code',
    steps: [
      RECEIVED,
      SCORED,
      [
        'ALERT_DECISION_MADE',
        {
          alert_id: 'a1',
          decision: 'skip',
          reasoning: 'below threshold',
          reason_code: 'score_below_threshold',
          score: 0.4,
          min_score_threshold: 0.7,
        },
      ],
      ['ALERT_SKIPPED', { alert_id: 'a1', reason: 'below threshold', reason_code: 'score_below_threshold' }],
    ],
    expected: {
      status: 'skipped',
      decision: {
        decision: 'skip',
        reasoning: 'below threshold',
        reason_code: 'score_below_threshold',
        score: 0.4,
        min_score_threshold: 0.7,
        override_flags: null,
        signal_id: null,
        decided_at: 1_700_000_002_000,
      },
      skip: { reason: 'below threshold', reason_code: 'score_below_threshold', skipped_at: 1_700_000_003_000 },
    },
  },
  {
    name: 'wait, then decided again: both decisions kept',
    steps: [
      RECEIVED,
      ['ALERT_DECISION_MADE', { alert_id: 'a1', decision: 'wait', reasoning: 'market closed' }],
      ['ALERT_DECISION_MADE', { alert_id: 'a1', decision: 'trade', signal_id: 's1' }],
    ],
    expected: { status: 'decided', signal_id: 's1' },
  },
  {
    name: 'rate limited is final',
    steps: [RECEIVED, ['ALERT_RATE_LIMITED', { alert_id: 'a1', limit: 5, window_seconds: 60 }], CLASSIFIED],
    expected: { status: 'rate_limited', rate_limit: { limit: 5, window_seconds: 60, reason: null } },
    anomalies: ['out_of_order'],
  },
  {
    name: 'a classification after the decision is recorded but out of order',
    steps: [RECEIVED, ['ALERT_DECISION_MADE', { alert_id: 'a1', decision: 'skip' }], CLASSIFIED],
    expected: { status: 'decided' },
    anomalies: ['out_of_order'],
  },
  {
    name: 'discord posts do not move the status',
    steps: [RECEIVED, ['ALERT_SENT_DISCORD', { alert_id: 'a1', channel: 'alerts', message_id: 'm1' }]],
    expected: { status: 'received', discord: [{ channel: 'alerts', message_id: 'm1', timestamp: 1_700_000_001_000 }] },
  },
];

describe('alert reducer', () => {
  it.each(cases)('$name', ({ steps, expected, anomalies = [] }) => {
    const e = stream('alert', 'a1');
    const state = foldFrozen(
      alertReducer,
      'a1',
      steps.map(([type, payload]) => e(type, payload)),
    );
    expect(state).toMatchObject(expected);
    expect(state.anomalies.map((a) => a.reason)).toEqual(anomalies);
    expect(state.history.map((h) => h.event_type)).toEqual(steps.map(([t]) => t));
  });

  it('every decision is kept in order', () => {
    const e = stream('alert', 'a1');
    const state = foldFrozen(alertReducer, 'a1', [
      e(...RECEIVED),
      e('ALERT_DECISION_MADE', { alert_id: 'a1', decision: 'wait' }),
      e('ALERT_DECISION_MADE', { alert_id: 'a1', decision: 'trade' }),
    ]);
    expect(state.decisions.map((d) => d.decision)).toEqual(['wait', 'trade']);
  });
});
