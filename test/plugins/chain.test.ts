/**
 * One alert's whole story through the four plugins' decorators on a small bot: alert ->
 * classification -> decision -> signal -> risk check -> order -> fills -> position. One
 * correlation id; each event's causation id is the event that led to it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import alertPlugin, { AlertHooks, type AlertState } from '../../src-plugins/alert';
import orderPlugin, { OrderHooks } from '../../src-plugins/order';
import positionPlugin, { PositionHooks, type PositionState } from '../../src-plugins/position';
import riskPlugin, { RiskHooks, type RiskState } from '../../src-plugins/risk';
import { testCatalyst, type TestCatalyst } from './catalyst';

interface Alert {
  alert_id: string;
  ticker: string;
  headline: string;
  source: string;
}

class Bot {
  maxNotional = 10_000;

  @AlertHooks.receive()
  process(alert: Alert): void {
    const classification = this.classify(alert);
    const decision = this.decide(alert, classification.score);
    if (decision.decision !== 'trade') {
      this.skip({ alert_id: alert.alert_id, reason: decision.reasoning, reason_code: decision.reason_code });
      return;
    }
    const signal = this.generateSignal(alert, classification.score);
    const check = this.checkNotional({ signal_id: signal.signal_id, ticker: alert.ticker, notional: 100 * 10 });
    if (!check.passed) {
      this.skip({ alert_id: alert.alert_id, reason: 'risk check failed', reason_code: 'risk' });
      return;
    }
    const orderId = `o-${alert.alert_id}`;
    this.submit({
      order_id: orderId,
      signal_id: signal.signal_id,
      ticker: alert.ticker,
      side: 'buy',
      quantity: 100,
      order_type: 'market',
      expected_price: 10,
    });
    this.executed({ alert_id: alert.alert_id, signal_id: signal.signal_id, order_id: orderId });
  }

  @AlertHooks.classify()
  classify(_alert: Alert) {
    return { catalyst_type: 'fda_approval', score: 0.82, keywords_matched: ['fda'], confidence: 0.9 };
  }

  @AlertHooks.decide()
  decide(alert: Alert, score: number) {
    const threshold = 0.7;
    return score >= threshold
      ? {
          decision: 'trade' as const,
          reasoning: `score ${score} >= ${threshold}`,
          score,
          min_score_threshold: threshold,
          signal_id: `s-${alert.alert_id}`,
          reason_code: 'score_above_threshold',
        }
      : {
          decision: 'skip' as const,
          reasoning: `score ${score} < ${threshold}`,
          score,
          min_score_threshold: threshold,
          reason_code: 'score_below_threshold',
        };
  }

  @AlertHooks.skip()
  skip(_p: { alert_id: string; reason: string; reason_code: string }) {}

  @OrderHooks.generateSignal()
  generateSignal(alert: Alert, score: number) {
    return {
      signal_id: `s-${alert.alert_id}`,
      ticker: alert.ticker,
      action: 'buy' as const,
      confidence: score,
      source_alert_id: alert.alert_id,
      inputs: { score },
    };
  }

  @RiskHooks.check()
  checkNotional(order: { signal_id: string; ticker: string; notional: number }) {
    return {
      check: 'max_notional',
      passed: order.notional <= this.maxNotional,
      value: order.notional,
      limit: this.maxNotional,
      reason_code: order.notional <= this.maxNotional ? null : 'notional_above_limit',
    };
  }

  @OrderHooks.submit()
  submit(_order: {
    order_id: string;
    signal_id: string;
    ticker: string;
    side: 'buy';
    quantity: number;
    order_type: 'market';
    expected_price: number;
  }) {}

  @AlertHooks.tradeExecuted()
  executed(_p: { alert_id: string; signal_id: string; order_id: string }) {}

  @OrderHooks.fill()
  onFill(f: { order_id: string; trade_id: string; filled_quantity: number; filled_price: number; commission: number }) {
    this.applyFill({
      position_id: `p-${f.order_id}`,
      trade_id: f.trade_id,
      order_id: f.order_id,
      ticker: 'ACME',
      side: 'buy',
      quantity: f.filled_quantity,
      price: f.filled_price,
      commission: f.commission,
    });
  }

  @PositionHooks.fill()
  applyFill(_f: {
    position_id: string;
    trade_id: string;
    order_id: string;
    ticker: string;
    side: 'buy';
    quantity: number;
    price: number;
    commission: number;
  }) {}

  @PositionHooks.updatePrice()
  onQuote(_ticker: string, _price: number) {}
}

const ALERT: Alert = { alert_id: 'a1', ticker: 'ACME', headline: 'ACME wins FDA approval', source: 'newswire' };

describe("one alert's chain across the four plugins", () => {
  let t: TestCatalyst;
  let bot: Bot;
  beforeEach(async () => {
    t = await testCatalyst([alertPlugin, orderPlugin, positionPlugin, riskPlugin], { pluginOptions: { risk: { bookId: 'run-1' } } });
    bot = t.catalyst.bind(new Bot());
  });
  afterEach(() => t.close());

  it('alert -> decision -> signal -> risk -> order; fills on later ticks -> position', async () => {
    bot.process(ALERT);
    t.clock.advance(1_000);
    bot.onFill({ order_id: 'o-a1', trade_id: 'x1', filled_quantity: 40, filled_price: 10.01, commission: 0.2 });
    t.clock.advance(1_000);
    bot.onFill({ order_id: 'o-a1', trade_id: 'x2', filled_quantity: 60, filled_price: 10.03, commission: 0.3 });
    t.clock.advance(60_000);
    bot.onQuote('ACME', 10.5);

    expect(t.events.map((e) => e.event_type)).toEqual([
      'ALERT_RECEIVED',
      'ALERT_CLASSIFIED',
      'ALERT_DECISION_MADE',
      'SIGNAL_GENERATED',
      'RISK_CHECK_PASSED',
      'ORDER_SUBMITTED',
      'ALERT_TRADE_EXECUTED',
      'ORDER_PARTIALLY_FILLED',
      'POSITION_OPENED',
      'ORDER_FILLED',
      'POSITION_INCREASED',
      'POSITION_PRICE_UPDATED',
    ]);
    const byType = (type: string, nth = 0) => t.ofType(type)[nth]!;
    const correlation = t.events[0]!.metadata.correlation_id;
    for (const e of t.events) expect(e.metadata.correlation_id, e.event_type).toBe(correlation);
    // the synchronous part is one straight chain
    for (let i = 1; i < 7; i++) expect(t.events[i]!.metadata.causation_id, t.events[i]!.event_type).toBe(t.events[i - 1]!.event_id);
    // later ticks link to the order's chain, and the position to the fill that made it
    expect(byType('ORDER_PARTIALLY_FILLED').metadata.causation_id).toBe(byType('ORDER_SUBMITTED').event_id);
    expect(byType('POSITION_OPENED').metadata.causation_id).toBe(byType('ORDER_PARTIALLY_FILLED').event_id);
    expect(byType('ORDER_FILLED').metadata.causation_id).toBe(byType('ORDER_PARTIALLY_FILLED').event_id);
    expect(byType('POSITION_INCREASED').metadata.causation_id).toBe(byType('ORDER_FILLED').event_id);
    expect(byType('POSITION_PRICE_UPDATED').metadata.causation_id).toBe(byType('POSITION_INCREASED').event_id);

    // the store answers the trace by correlation id
    const traced = await t.catalyst.store.readByCorrelation(correlation!);
    expect(traced).toHaveLength(t.events.length);

    // why did the bot trade? the decision carries its inputs
    const alert = (await t.catalyst.rebuilder.rebuild<AlertState>('alert', 'a1')).state;
    expect(alert).toMatchObject({ status: 'executed', signal_id: 's-a1', order_ids: ['o-a1'] });
    expect(alert.decision).toMatchObject({
      decision: 'trade',
      score: 0.82,
      min_score_threshold: 0.7,
      reason_code: 'score_above_threshold',
    });
    const risk = (await t.catalyst.rebuilder.rebuild<RiskState>('risk', 'run-1')).state;
    expect(risk.checks.max_notional).toMatchObject({ passed: 1, failed: 0, last_value: 1000, last_limit: 10_000, last_subject: 's-a1' });
    const position = (await t.catalyst.rebuilder.rebuild<PositionState>('position', 'p-o-a1')).state;
    expect(position).toMatchObject({ status: 'open', open_quantity: 100, signal_id: null, order_ids: ['o-a1'] });
    expect(position.entry_price).toBeCloseTo(10.022, 10);
    expect(position.fees).toBeCloseTo(0.5, 10);
    expect(t.errors).toEqual([]);
  });

  it('a failed risk check records what it was decided on and the alert is skipped, in the same chain', async () => {
    bot.maxNotional = 500;
    bot.process(ALERT);
    expect(t.events.map((e) => e.event_type)).toEqual([
      'ALERT_RECEIVED',
      'ALERT_CLASSIFIED',
      'ALERT_DECISION_MADE',
      'SIGNAL_GENERATED',
      'RISK_CHECK_FAILED',
      'ALERT_SKIPPED',
    ]);
    const failed = t.ofType('RISK_CHECK_FAILED')[0]!;
    expect(failed).toMatchObject({
      aggregate_type: 'risk',
      aggregate_id: 'run-1',
      payload: { check: 'max_notional', subject: 's-a1', value: 1000, limit: 500, reason_code: 'notional_above_limit' },
    });
    const correlation = t.events[0]!.metadata.correlation_id;
    for (const e of t.events) expect(e.metadata.correlation_id).toBe(correlation);
    const alert = (await t.catalyst.rebuilder.rebuild<AlertState>('alert', 'a1')).state;
    expect(alert).toMatchObject({ status: 'skipped', skip: { reason_code: 'risk' } });
  });

  it('two alerts are two chains', () => {
    bot.process(ALERT);
    bot.process({ ...ALERT, alert_id: 'a2' });
    const received = t.ofType('ALERT_RECEIVED');
    expect(received).toHaveLength(2);
    expect(received[0]!.metadata.correlation_id).not.toBe(received[1]!.metadata.correlation_id);
    expect(received[1]!.metadata.causation_id).toBeNull();
  });
});
