import { afterEach, describe, expect, it } from 'vitest';
import orderPlugin, { OrderHooks } from '../../../src-plugins/order';
import positionPlugin, { PositionHooks, type PositionState } from '../../../src-plugins/position';
import { runSeedRebuild } from '../../support/seed-rebuild';
import { testCatalyst, type TestCatalyst } from '../catalyst';

interface Fill {
  ticker: string;
  trade_id: string;
  order_id: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  commission?: number;
}

/** A position manager keyed by ticker, the way many bots keep them. */
class Positions {
  private readonly ids = new Map<string, string>();
  private opened = 0;

  @PositionHooks.fill()
  applyFill(fill: Fill) {
    let id = this.ids.get(fill.ticker);
    if (id === undefined) this.ids.set(fill.ticker, (id = `pos-${++this.opened}`));
    return { position_id: id, stop_loss_price: 9.5 };
  }

  @PositionHooks.updatePrice()
  onQuote(_ticker: string, _price: number) {}

  @PositionHooks.modifyStop()
  trail(_p: { position_id: string; new_stop_loss_price: number; reason: string }) {}

  @PositionHooks.triggerStop()
  stopHit(_p: { position_id: string; current_price: number }) {}

  @PositionHooks.close()
  close(_p: { position_id: string; exit_price: number; exit_reason: string; commission?: number }) {}

  forget(ticker: string) {
    this.ids.delete(ticker);
  }
}

const fill = (over: Partial<Fill> & Pick<Fill, 'trade_id' | 'side' | 'quantity' | 'price'>): Fill => ({
  ticker: 'AAPL',
  order_id: 'o1',
  commission: 0,
  ...over,
});

describe('position decorators', () => {
  let t: TestCatalyst;
  afterEach(() => t.close());

  const rebuild = async (id: string) => (await t.catalyst.rebuilder.rebuild<PositionState>('position', id)).state;

  it('a fill opens; price updates are throttled at 0.1 % since the last emitted one', async () => {
    t = await testCatalyst([positionPlugin]);
    const bot = t.catalyst.bind(new Positions());
    bot.applyFill(fill({ trade_id: 't1', side: 'buy', quantity: 100, price: 10, commission: 1 }));
    for (const price of [10.005, 10.02, 10.025, 10.03, 10.2, 10.2]) bot.onQuote('AAPL', price);
    expect(t.events.map((e) => e.event_type)).toEqual(['POSITION_OPENED', 'POSITION_PRICE_UPDATED', 'POSITION_PRICE_UPDATED']);
    const [, first, second] = t.events;
    expect(first!.payload).toMatchObject({ old_price: 10, new_price: 10.02, old_unrealized_pnl: 0 });
    expect(first!.payload.new_unrealized_pnl).toBeCloseTo(2, 9);
    // 10.025 and 10.03 are within 0.1 % of 10.02, the last emitted price
    expect(second!.payload).toMatchObject({ old_price: 10.02, new_price: 10.2 });
    const state = await rebuild('pos-1');
    expect(state).toMatchObject({ status: 'open', side: 'long', open_quantity: 100, current_price: 10.2, fees: 1, stop_loss: 9.5 });
    expect(state.unrealized_pnl).toBeCloseTo(20, 9);
  });

  it('the threshold is a plugin option', async () => {
    t = await testCatalyst([positionPlugin], { pluginOptions: { position: { priceThreshold: 0.05 } } });
    const bot = t.catalyst.bind(new Positions());
    bot.applyFill(fill({ trade_id: 't1', side: 'buy', quantity: 100, price: 10 }));
    for (const price of [10.2, 10.4, 10.6]) bot.onQuote('AAPL', price);
    expect(t.ofType('POSITION_PRICE_UPDATED').map((e) => e.payload.new_price)).toEqual([10.6]);
  });

  it('reduce, duplicate, and a flip from long to short split into a close and an open', async () => {
    t = await testCatalyst([positionPlugin]);
    const bot = t.catalyst.bind(new Positions());
    bot.applyFill(fill({ trade_id: 't1', side: 'buy', quantity: 100, price: 10, commission: 1 }));
    t.clock.advance(60_000);
    bot.applyFill(fill({ trade_id: 't2', side: 'sell', quantity: 40, price: 10.5, commission: 0.4 }));
    bot.applyFill(fill({ trade_id: 't2', side: 'sell', quantity: 40, price: 10.5, commission: 0.4 })); // redelivered
    t.clock.advance(60_000);
    bot.applyFill(fill({ trade_id: 't3', side: 'sell', quantity: 100, price: 11, commission: 1 }));

    expect(t.events.map((e) => `${e.event_type}:${e.aggregate_id}`)).toEqual([
      'POSITION_OPENED:pos-1',
      'POSITION_REDUCED:pos-1',
      'POSITION_CLOSED:pos-1',
      'POSITION_OPENED:pos-1:t3',
    ]);
    const reduced = t.events[1]!.payload;
    // (10.5 - 10) * 40 - 0.4 - 1 * 40/100
    expect(reduced.realized_pnl).toBeCloseTo(19.2, 9);
    const closed = t.events[2]!.payload;
    expect(closed).toMatchObject({ exit_reason: 'reversal', quantity: 60, hold_duration_seconds: 120 });
    // 19.2 + (11 - 10) * 60 - 0.6 (60/100 of the flip's commission) - 0.6 (rest of entry commission)
    expect(closed.realized_pnl).toBeCloseTo(78, 9);
    expect(closed.commission).toBeCloseTo(0.6, 9);
    expect(t.events[3]!.payload).toMatchObject({ side: 'short', quantity: 40, entry_price: 11 });
    expect(t.events[3]!.payload.commission).toBeCloseTo(0.4, 9);
    // the new position continues the old one's chain
    expect(t.events[3]!.metadata.causation_id).toBe(t.events[2]!.event_id);

    const old = await rebuild('pos-1');
    expect(old).toMatchObject({ status: 'closed', exit_reason: 'reversal', open_quantity: 0, anomalies: [] });
    expect(old.realized_pnl).toBeCloseTo(78, 9);
    expect(old.fees).toBeCloseTo(2, 9);
    const flipped = await rebuild('pos-1:t3');
    expect(flipped).toMatchObject({ status: 'open', side: 'short', open_quantity: 40 });
    expect(t.errors).toEqual([]);
  });

  it('short: a falling price is an unrealized gain; trailing stop, trigger and close', async () => {
    t = await testCatalyst([positionPlugin]);
    const bot = t.catalyst.bind(new Positions());
    bot.applyFill(fill({ ticker: 'TSLA', trade_id: 't1', side: 'sell', quantity: 10, price: 200 }));
    bot.onQuote('TSLA', 190);
    bot.trail({ position_id: 'pos-1', new_stop_loss_price: 195, reason: 'trail' });
    bot.trail({ position_id: 'pos-1', new_stop_loss_price: 195, reason: 'trail' }); // unchanged: not emitted
    t.clock.advance(30_000);
    bot.stopHit({ position_id: 'pos-1', current_price: 195.5 });
    bot.close({ position_id: 'pos-1', exit_price: 195.5, exit_reason: 'stop_loss', commission: 1 });

    expect(t.events.map((e) => e.event_type)).toEqual([
      'POSITION_OPENED',
      'POSITION_PRICE_UPDATED',
      'POSITION_STOP_LOSS_MODIFIED',
      'STOP_LOSS_TRIGGERED',
      'POSITION_CLOSED',
    ]);
    expect(t.events[1]!.payload.new_unrealized_pnl).toBeCloseTo(100, 9);
    expect(t.events[2]!.payload).toMatchObject({ old_stop_loss_price: 9.5, new_stop_loss_price: 195 });
    expect(t.events[3]!.payload).toMatchObject({ trigger_price: 195, current_price: 195.5 });
    const state = await rebuild('pos-1');
    expect(state).toMatchObject({ status: 'closed', exit_reason: 'stop_loss', hold_duration_seconds: 30 });
    expect(state.realized_pnl).toBeCloseTo(44, 9); // (200 - 195.5) * 10 - 1
    expect(state.stop_loss_history.map((h) => h.new_price)).toEqual([9.5, 195]);
    expect(state.triggers).toHaveLength(1);
  });

  it("a position opened by a fill continues its order's chain, nested or on a later tick", async () => {
    t = await testCatalyst([orderPlugin, positionPlugin]);
    const positions = t.catalyst.bind(new Positions());
    class Broker {
      @OrderHooks.submit()
      submit(_o: { order_id: string; ticker: string; side: 'buy'; quantity: number; order_type: 'market' }) {}
      // The fill event is written before the call, so what the method does follows it.
      @OrderHooks.fill()
      onFill(f: { order_id: string; trade_id: string; filled_quantity: number; filled_price: number }) {
        positions.applyFill(
          fill({ order_id: f.order_id, trade_id: f.trade_id, side: 'buy', quantity: f.filled_quantity, price: f.filled_price }),
        );
      }
    }
    const broker = t.catalyst.bind(new Broker());
    broker.submit({ order_id: 'o1', ticker: 'AAPL', side: 'buy', quantity: 100, order_type: 'market' });
    broker.onFill({ order_id: 'o1', trade_id: 't1', filled_quantity: 100, filled_price: 10 });
    // a later, separate call: the price update continues the position's chain
    positions.onQuote('AAPL', 11);
    expect(t.events.map((e) => e.event_type)).toEqual(['ORDER_SUBMITTED', 'ORDER_FILLED', 'POSITION_OPENED', 'POSITION_PRICE_UPDATED']);
    const [submitted, filled, opened, price] = t.events;
    for (const e of t.events) expect(e.metadata.correlation_id).toBe(submitted!.metadata.correlation_id);
    expect(filled!.metadata.causation_id).toBe(submitted!.event_id);
    expect(opened!.metadata.causation_id).toBe(filled!.event_id);
    expect(price!.metadata.causation_id).toBe(opened!.event_id);

    // Without nesting: a fill handled on its own still links back to the order.
    positions.forget('AAPL');
    positions.applyFill(fill({ order_id: 'o1', trade_id: 't9', side: 'buy', quantity: 1, price: 10 }));
    const second = t.events.at(-1)!;
    expect(second).toMatchObject({ event_type: 'POSITION_OPENED', aggregate_id: 'pos-2' });
    expect(second.metadata.correlation_id).toBe(submitted!.metadata.correlation_id);
    expect(second.metadata.causation_id).toBe(filled!.event_id);
  });

  it("the seed's own rebuild_position reads what the decorators wrote", async () => {
    t = await testCatalyst([positionPlugin]);
    const bot = t.catalyst.bind(new Positions());
    bot.applyFill(fill({ trade_id: 't1', side: 'buy', quantity: 100, price: 10, commission: 1 }));
    t.clock.advance(1000);
    bot.onQuote('AAPL', 10.5);
    t.clock.advance(1000);
    bot.close({ position_id: 'pos-1', exit_price: 10.4, exit_reason: 'take_profit', commission: 1 });
    const ours = await rebuild('pos-1');
    const file = t.catalyst.config.db;
    const theirs = runSeedRebuild(file, { positions: ['pos-1'] }).positions['pos-1']!;
    expect(theirs).toMatchObject({ status: 'closed', exit_reason: 'take_profit', stop_loss: 9.5 });
    for (const [key, value] of Object.entries(theirs)) expect((ours as unknown as Record<string, unknown>)[key], key).toEqual(value);
  });
});
