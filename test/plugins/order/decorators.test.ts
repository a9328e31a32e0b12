import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import orderPlugin, { OrderHooks, type OrderState, type SignalState } from '../../../src-plugins/order';
import { testCatalyst, type TestCatalyst } from '../catalyst';

class BrokerError extends Error {
  readonly code = 'insufficient_buying_power';
}

interface Alert {
  alert_id: string;
  ticker: string;
  score: number;
}

class Executor {
  @OrderHooks.generateSignal()
  generate(alert: Alert) {
    if (alert.score < 0.5) return null;
    return {
      signal_id: `sig-${alert.alert_id}`,
      ticker: alert.ticker,
      action: 'buy' as const,
      confidence: alert.score,
      reasoning: 'score above threshold',
      source_alert_id: alert.alert_id,
      inputs: { score: alert.score, threshold: 0.5 },
    };
  }

  @OrderHooks.submit()
  submit(order: {
    order_id: string;
    signal_id: string;
    ticker: string;
    side: 'buy' | 'sell';
    quantity: number;
    order_type: 'limit';
    limit_price: number;
  }) {
    if (order.quantity > 1000) throw new BrokerError('buying power exceeded');
    return { status: 'accepted' as const, broker_order_id: `b-${order.order_id}` };
  }

  @OrderHooks.fill()
  onFill(_fill: { order_id: string; trade_id: string; filled_quantity: number; filled_price: number; commission: number }) {
    return undefined;
  }

  @OrderHooks.cancel({ map: ([id, why]) => ({ order_id: id as string, reason: why as string }) })
  cancel(_id: string, _why: string) {
    return true;
  }

  /** The broker refused: `false` means it did not happen. */
  @OrderHooks.cancel()
  tryCancel(_c: { order_id: string; reason: string }) {
    return false;
  }
}

const ORDER = {
  order_id: 'o1',
  signal_id: 'sig-a1',
  ticker: 'AAPL',
  side: 'buy',
  quantity: 100,
  order_type: 'limit',
  limit_price: 10,
} as const;

describe('order decorators', () => {
  let t: TestCatalyst;
  let bot: Executor;
  beforeEach(async () => {
    t = await testCatalyst([orderPlugin]);
    bot = t.catalyst.bind(new Executor());
  });
  afterEach(() => t.close());

  it('a generated signal records what it was decided on; no signal, no event', async () => {
    expect(bot.generate({ alert_id: 'a0', ticker: 'AAPL', score: 0.2 })).toBeNull();
    bot.generate({ alert_id: 'a1', ticker: 'AAPL', score: 0.8 });
    expect(t.events.map((e) => e.event_type)).toEqual(['SIGNAL_GENERATED']);
    const [signal] = t.events;
    expect(signal).toMatchObject({
      aggregate_type: 'signal',
      aggregate_id: 'sig-a1',
      payload: { action: 'buy', confidence: 0.8, source_alert_id: 'a1', inputs: { score: 0.8, threshold: 0.5 } },
    });
    const rebuilt = await t.catalyst.rebuilder.rebuild<SignalState>('signal', 'sig-a1');
    expect(rebuilt.state).toMatchObject({ status: 'generated', reasoning: 'score above threshold' });
  });

  it('submit -> accepted -> partial fill -> fill on later calls: one chain, causation links, totals', async () => {
    bot.generate({ alert_id: 'a1', ticker: 'AAPL', score: 0.8 });
    expect(bot.submit({ ...ORDER })).toEqual({ status: 'accepted', broker_order_id: 'b-o1' });
    t.clock.advance(1000);
    bot.onFill({ order_id: 'o1', trade_id: 't1', filled_quantity: 40, filled_price: 10, commission: 0.4 });
    t.clock.advance(1000);
    bot.onFill({ order_id: 'o1', trade_id: 't2', filled_quantity: 60, filled_price: 10.1, commission: 0.6 });
    bot.onFill({ order_id: 'o1', trade_id: 't2', filled_quantity: 60, filled_price: 10.1, commission: 0.6 }); // redelivered

    expect(t.events.map((e) => e.event_type)).toEqual([
      'SIGNAL_GENERATED',
      'ORDER_SUBMITTED',
      'ORDER_ACCEPTED',
      'ORDER_PARTIALLY_FILLED',
      'ORDER_FILLED',
    ]);
    const [signal, submitted, accepted, partial, filled] = t.events;
    // one correlation id; each event caused by the one before it in the chain
    const correlation = signal!.metadata.correlation_id;
    expect(correlation).toBeTruthy();
    for (const e of t.events) expect(e.metadata.correlation_id).toBe(correlation);
    expect(submitted!.metadata.causation_id).toBe(signal!.event_id);
    expect(accepted!.metadata.causation_id).toBe(submitted!.event_id);
    expect(partial!.metadata.causation_id).toBe(accepted!.event_id);
    expect(filled!.metadata.causation_id).toBe(partial!.event_id);

    expect(partial!.payload).toMatchObject({
      filled_quantity: 40,
      filled_price: 10,
      cumulative_quantity: 40,
      leaves_quantity: 60,
      slippage: 0,
    });
    expect(filled!.payload).toMatchObject({
      filled_quantity: 100,
      last_fill_quantity: 60,
      last_fill_price: 10.1,
      cumulative_quantity: 100,
    });
    expect(filled!.payload.filled_price).toBeCloseTo(10.06, 10);

    const { state } = await t.catalyst.rebuilder.rebuild<OrderState>('order', 'o1');
    expect(state).toMatchObject({ status: 'filled', filled_quantity: 100, leaves_quantity: 0, broker_order_id: 'b-o1', anomalies: [] });
    expect(state.commission).toBeCloseTo(1, 10);
    expect(state.avg_fill_price).toBeCloseTo(10.06, 10);
    expect(t.errors).toEqual([]);
  });

  it('a submit that throws is recorded as submitted then rejected, and the bot still sees the error', () => {
    expect(() => bot.submit({ ...ORDER, quantity: 5000 })).toThrow('buying power exceeded');
    expect(t.events.map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_REJECTED']);
    expect(t.events[1]!.payload).toMatchObject({
      order_id: 'o1',
      reject_reason: 'insufficient_buying_power',
      broker_message: 'buying power exceeded',
    });
    expect(t.events[1]!.metadata.causation_id).toBe(t.events[0]!.event_id);
  });

  it('map adapts another signature', async () => {
    bot.submit({ ...ORDER });
    bot.cancel('o1', 'stale quote');
    const cancelled = t.ofType('ORDER_CANCELLED');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.payload).toMatchObject({ order_id: 'o1', reason: 'stale quote' });
    const { state } = await t.catalyst.rebuilder.rebuild<OrderState>('order', 'o1');
    expect(state.status).toBe('cancelled');
  });

  it('a method returning false did not do it: no event', () => {
    bot.submit({ ...ORDER });
    bot.tryCancel({ order_id: 'o1', reason: 'stale' });
    expect(t.ofType('ORDER_CANCELLED')).toEqual([]);
  });

  it('a call the hook cannot understand is reported, never thrown at the bot', () => {
    expect(bot.cancel('', 'x')).toBe(true);
    expect(t.events).toEqual([]);
    expect(t.errors).toHaveLength(1);
    expect(String(t.errors[0]!.error)).toMatch(/order_id/);
  });

  it('in buffered mode the plugin still decides partial vs final and links the chain before anything is written', async () => {
    const b = await testCatalyst([orderPlugin], { mode: 'buffered' });
    try {
      const buffered = b.catalyst.bind(new Executor());
      buffered.submit({ ...ORDER });
      buffered.onFill({ order_id: 'o1', trade_id: 't1', filled_quantity: 40, filled_price: 10, commission: 0 });
      buffered.onFill({ order_id: 'o1', trade_id: 't2', filled_quantity: 60, filled_price: 10, commission: 0 });
      expect(b.events).toEqual([]); // queued, not yet written
      b.catalyst.emitter.flush();
      expect(b.events.map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED']);
      for (let i = 1; i < b.events.length; i++) expect(b.events[i]!.metadata.causation_id).toBe(b.events[i - 1]!.event_id);
      const { state } = await b.catalyst.rebuilder.rebuild<OrderState>('order', 'o1');
      expect(state).toMatchObject({ status: 'filled', filled_quantity: 100, anomalies: [] });
    } finally {
      await b.close();
    }
  });
});
