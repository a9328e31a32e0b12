import { describe, expect, it } from 'vitest';
import { riskReducer, type RiskState } from '../../../src-plugins/risk/reducer';
import { foldFrozen, stream } from '../events';

type Step = [eventType: string, payload: Record<string, unknown>];

const cases: Array<{ name: string; steps: Step[]; expected: Partial<RiskState>; anomalies?: string[] }> = [
  {
    name: 'pass / fail counts per check and the limits they used',
    steps: [
      ['RISK_CHECK_PASSED', { check: 'max_position_size', subject: 's1', value: 5000, limit: 10000 }],
      [
        'RISK_CHECK_FAILED',
        { check: 'max_position_size', subject: 's2', value: 15000, limit: 10000, reason: 'too large', reason_code: 'size' },
      ],
      ['RISK_CHECK_PASSED', { check: 'market_hours', subject: 's2', value: 'open', limit: null }],
    ],
    expected: {
      totals: { passed: 2, failed: 1 },
      limits: { max_position_size: 10000 },
      recent_failures: [
        {
          check: 'max_position_size',
          subject: 's2',
          value: 15000,
          limit: 10000,
          reason: 'too large',
          reason_code: 'size',
          timestamp: 1_700_000_001_000,
        },
      ],
    },
  },
  {
    name: 'position and daily-loss limits keep their level',
    steps: [
      ['POSITION_LIMIT_WARNING', { ticker: 'AAPL', value: 9000, limit: 10000 }],
      ['POSITION_LIMIT_EXCEEDED', { ticker: 'AAPL', value: 11000, limit: 10000 }],
      ['DAILY_LOSS_LIMIT_WARNING', { realized_pnl_today: -800, limit: 1000 }],
    ],
    expected: {
      position_limits: { AAPL: { level: 'exceeded', value: 11000, limit: 10000, at: 1_700_000_001_000 } },
      daily_loss: { level: 'warning', realized_pnl_today: -800, limit: 1000, at: 1_700_000_002_000 },
      limits: { 'position:AAPL': 10000, daily_loss: 1000 },
    },
  },
  {
    name: 'circuit breaker trips and resets, with history',
    steps: [
      ['DAILY_LOSS_LIMIT_EXCEEDED', { realized_pnl_today: -1200, limit: 1000 }],
      ['CIRCUIT_BREAKER_TRIGGERED', { reason: 'daily loss limit', until: 1_700_086_400_000 }],
      ['CIRCUIT_BREAKER_RESET', { reason: 'new session' }],
    ],
    expected: {
      circuit_breaker: { state: 'normal', reason: null, until: null, since: 1_700_000_002_000 },
      circuit_breaker_history: [
        { action: 'triggered', reason: 'daily loss limit', until: 1_700_086_400_000, timestamp: 1_700_000_001_000 },
        { action: 'reset', reason: 'new session', until: null, timestamp: 1_700_000_002_000 },
      ],
    },
  },
  {
    name: 'a reset while not tripped is an anomaly',
    steps: [['CIRCUIT_BREAKER_RESET', { reason: 'manual' }]],
    expected: { circuit_breaker: { state: 'normal', reason: null, until: null, since: 1_700_000_000_000 } },
    anomalies: ['reset_while_not_tripped'],
  },
];

describe('risk reducer', () => {
  it.each(cases)('$name', ({ steps, expected, anomalies = [] }) => {
    const e = stream('risk', 'book');
    const state = foldFrozen(
      riskReducer,
      'book',
      steps.map(([type, payload]) => e(type, payload)),
    );
    expect(state).toMatchObject(expected);
    expect(state.anomalies.map((a) => a.reason)).toEqual(anomalies);
  });

  it('tripped state stands until reset', () => {
    const e = stream('risk', 'book');
    const state = foldFrozen(riskReducer, 'book', [e('CIRCUIT_BREAKER_TRIGGERED', { reason: 'loss' })]);
    expect(state.circuit_breaker).toMatchObject({ state: 'tripped', reason: 'loss' });
  });

  it('per-check stats count each check separately', () => {
    const e = stream('risk', 'book');
    const state = foldFrozen(riskReducer, 'book', [
      e('RISK_CHECK_FAILED', { check: 'a', reason: 'x' }),
      e('RISK_CHECK_FAILED', { check: 'a', reason: 'y' }),
      e('RISK_CHECK_PASSED', { check: 'b' }),
    ]);
    expect(state.checks.a).toMatchObject({ passed: 0, failed: 2, last_result: 'failed', last_reason: 'y' });
    expect(state.checks.b).toMatchObject({ passed: 1, failed: 0, last_result: 'passed' });
  });
});
