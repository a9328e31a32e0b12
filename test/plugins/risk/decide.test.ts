/** The risk plugin's decide functions: pure functions of the call's input. */
import { describe, expect, it } from 'vitest';
import { checkErrorInput, decideBreaker, decideCheck, decideDailyLossLimit, decidePositionLimit } from '../../../src-plugins/risk/decide';

describe('risk decide', () => {
  it('a check passes or fails on the book, named by the method, about the subject of its argument', () => {
    const d = decideCheck({ passed: false, value: 12_000, limit: 10_000 }, [{ signal_id: 's1' }], 'maxNotional', 'book-1');
    expect(d).toMatchObject({
      eventType: 'RISK_CHECK_FAILED',
      aggregateId: 'book-1',
      payload: { check: 'maxNotional', subject: 's1', value: 12_000, limit: 10_000, reason: null, reason_code: null },
    });
    expect(d.follow).toEqual([
      { aggregateType: 'signal', aggregateId: 's1' },
      { aggregateType: 'order', aggregateId: 's1' },
    ]);
    expect(decideCheck({ passed: true, book_id: 'b2', check: 'hours' }, [], 'm', 'book-1')).toMatchObject({
      eventType: 'RISK_CHECK_PASSED',
      aggregateId: 'b2',
    });
  });

  it('a thrown check fails with the error as reason; limits at ok decide nothing; a trip defaults its reason to the method', () => {
    const error = Object.assign(new Error('market closed'), { code: 'market_closed' });
    expect(checkErrorInput({ check: 'hours' }, {}, error)).toEqual({
      check: 'hours',
      reason: 'market closed',
      reason_code: 'market_closed',
      passed: false,
    });
    expect(decidePositionLimit({ level: 'ok', ticker: 'AAPL', value: 1, limit: 2 }, 'b')).toBeNull();
    expect(decidePositionLimit({ level: 'EXCEEDED', ticker: 'AAPL', value: 3, limit: 2 }, 'b')?.eventType).toBe('POSITION_LIMIT_EXCEEDED');
    expect(decideDailyLossLimit({ level: 'warning', realized_pnl_today: -400, limit: 500 }, 'b')?.eventType).toBe(
      'DAILY_LOSS_LIMIT_WARNING',
    );
    expect(decideBreaker('CIRCUIT_BREAKER_TRIGGERED', {}, 'halt', 'b').payload).toEqual({ reason: 'halt', until: null });
    expect(decideBreaker('CIRCUIT_BREAKER_RESET', {}, 'resume', 'b').payload).toEqual({ reason: null, until: null });
  });
});
