/** The alert plugin's decide functions: pure functions of the call's input. */
import { describe, expect, it } from 'vitest';
import {
  decideClassified,
  decideDecision,
  decideRateLimited,
  decideRateLimitError,
  decideReceived,
  decideSkipped,
} from '../../../src-plugins/alert/decide';

describe('alert decide', () => {
  it('receives with a default time; rate limits only when limited, without the flag in the payload', () => {
    expect(decideReceived({ alert_id: 'a1', ticker: 'AAPL' }, 0)).toMatchObject({
      eventType: 'ALERT_RECEIVED',
      aggregateId: 'a1',
      payload: { received_at: '1970-01-01T00:00:00.000Z' },
    });
    expect(decideRateLimited({ alert_id: 'a1', limited: false })).toBeNull();
    expect(decideRateLimited({ alert_id: 'a1', limited: true, limit: 3 })?.payload).toEqual({ alert_id: 'a1', limit: 3 });
    expect(decideRateLimitError({ alert_id: 'a1', limited: true }, {}, new Error('quota')).payload).toEqual({
      alert_id: 'a1',
      reason: 'quota',
    });
  });

  it('a decision is lower-cased and continues the chain of the signal it names; an unclassifiable alert has null type and score', () => {
    const d = decideDecision({ alert_id: 'a1', decision: 'TRADE', signal_id: 's1', score: 0.8, min_score_threshold: 0.6 });
    expect(d).toMatchObject({ eventType: 'ALERT_DECISION_MADE', payload: { decision: 'trade', score: 0.8 } });
    expect(d.follow).toEqual([
      { aggregateType: 'alert', aggregateId: 'a1' },
      { aggregateType: 'signal', aggregateId: 's1' },
    ]);
    expect(decideClassified({ alert_id: 'a1' }).payload).toEqual({ alert_id: 'a1', catalyst_type: null, score: null });
    expect(decideSkipped({ alert_id: 'a1', reason_code: 'late' }).payload.reason).toBe('late');
    expect(decideSkipped({ alert_id: 'a1' }).payload.reason).toBe('unspecified');
  });
});
