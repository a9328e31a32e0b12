import { afterEach, describe, expect, it } from 'vitest';
import riskPlugin, { RiskHooks, type RiskState } from '../../../src-plugins/risk';
import { testCatalyst, type TestCatalyst } from '../catalyst';

class MarketClosedError extends Error {
  readonly code = 'market_closed';
}

class Risk {
  @RiskHooks.check()
  maxSize(order: { signal_id: string; quantity: number }): boolean {
    return order.quantity <= 500;
  }

  @RiskHooks.check()
  all(_order: { order_id: string }) {
    return [
      { check: 'max_notional', passed: true, value: 1000, limit: 5000 },
      { check: 'max_positions', passed: false, value: 6, limit: 5, reason: 'too many open positions', reason_code: 'positions' },
    ];
  }

  @RiskHooks.check()
  marketOpen(_order: { signal_id: string }) {
    throw new MarketClosedError('market is closed');
  }

  @RiskHooks.positionLimit()
  exposure(ticker: string, value: number) {
    const level = value > 10_000 ? 'exceeded' : value > 8_000 ? 'warning' : 'ok';
    return { level, ticker, value, limit: 10_000 };
  }

  @RiskHooks.dailyLossLimit()
  dailyLoss(pnl: number) {
    return { level: pnl < -1000 ? 'exceeded' : 'ok', realized_pnl_today: pnl, limit: 1000 };
  }

  @RiskHooks.tripCircuitBreaker()
  halt(p: { reason: string; until: number }) {
    return p;
  }

  @RiskHooks.resetCircuitBreaker()
  resume() {}
}

describe('risk decorators', () => {
  let t: TestCatalyst;
  afterEach(() => t.close());

  it('checks: boolean, arrays and throws; subject and check name default from the call', async () => {
    t = await testCatalyst([riskPlugin], { pluginOptions: { risk: { bookId: 'acct-1' } } });
    const risk = t.catalyst.bind(new Risk());
    risk.maxSize({ signal_id: 's1', quantity: 100 });
    risk.maxSize({ signal_id: 's2', quantity: 900 });
    risk.all({ order_id: 'o1' });
    expect(() => risk.marketOpen({ signal_id: 's3' })).toThrow('market is closed');
    expect(t.events.map((e) => `${e.event_type}:${String(e.payload.check)}:${String(e.payload.subject)}`)).toEqual([
      'RISK_CHECK_PASSED:maxSize:s1',
      'RISK_CHECK_FAILED:maxSize:s2',
      'RISK_CHECK_PASSED:max_notional:o1',
      'RISK_CHECK_FAILED:max_positions:o1',
      'RISK_CHECK_FAILED:marketOpen:s3',
    ]);
    expect(t.events.every((e) => e.aggregate_type === 'risk' && e.aggregate_id === 'acct-1')).toBe(true);
    expect(t.events[4]!.payload).toMatchObject({ reason: 'market is closed', reason_code: 'market_closed' });
    const { state } = await t.catalyst.rebuilder.rebuild<RiskState>('risk', 'acct-1');
    expect(state.totals).toEqual({ passed: 2, failed: 3 });
    expect(state.limits).toMatchObject({ max_notional: 5000, max_positions: 5 });
  });

  it('limits emit only at warning or exceeded; the circuit breaker trips and resets', async () => {
    t = await testCatalyst([riskPlugin]);
    const risk = t.catalyst.bind(new Risk());
    risk.exposure('AAPL', 5_000);
    risk.exposure('AAPL', 9_000);
    risk.exposure('AAPL', 12_000);
    risk.dailyLoss(-200);
    risk.dailyLoss(-1500);
    risk.halt({ reason: 'daily loss limit', until: 1_800_000_000_000 });
    risk.resume();
    expect(t.events.map((e) => e.event_type)).toEqual([
      'POSITION_LIMIT_WARNING',
      'POSITION_LIMIT_EXCEEDED',
      'DAILY_LOSS_LIMIT_EXCEEDED',
      'CIRCUIT_BREAKER_TRIGGERED',
      'CIRCUIT_BREAKER_RESET',
    ]);
    const { state } = await t.catalyst.rebuilder.rebuild<RiskState>('risk', 'default');
    expect(state).toMatchObject({
      position_limits: { AAPL: { level: 'exceeded', value: 12_000 } },
      daily_loss: { level: 'exceeded', realized_pnl_today: -1500, limit: 1000 },
      circuit_breaker: { state: 'normal' },
      anomalies: [],
    });
    expect(state.circuit_breaker_history.map((h) => h.action)).toEqual(['triggered', 'reset']);
  });

  it('a bad option fails the load with a clear message', async () => {
    await expect(testCatalyst([riskPlugin], { pluginOptions: { risk: { bookId: 42 } } })).rejects.toThrow(/bookId/);
  });
});
