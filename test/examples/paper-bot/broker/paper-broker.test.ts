import { describe, expect, it } from 'vitest';
import { PaperBroker, DEFAULT_BROKER_OPTIONS } from '../../../../examples/paper-bot/broker/paper-broker';
import type { Fill, OrderRequest } from '../../../../examples/paper-bot/broker/types';
import type { Bar, MarketFeed } from '../../../../examples/paper-bot/market/types';
import { RunIds } from '../../../../examples/paper-bot/util/ids';
import { Prng } from '../../../../examples/paper-bot/util/prng';

/** A feed the test sets by hand. */
class StubFeed implements MarketFeed {
  readonly tickers = ['AAA'];
  price = 10;
  halted = false;
  barsAt(): Bar[] {
    return [];
  }
  isHalted(): boolean {
    return this.halted;
  }
  applyNews(): void {}
  lastPrice(ticker: string): number | undefined {
    return ticker === 'AAA' ? this.price : undefined;
  }
}

const T0 = 1_740_000_000_000;
const bar = (over: Partial<Bar> = {}): Bar => ({
  ticker: 'AAA',
  time: T0 + 60_000,
  open: 10,
  high: 10.2,
  low: 9.8,
  close: 10.1,
  volume: 100_000,
  ...over,
});
let n = 0;
const order = (over: Partial<OrderRequest> = {}): OrderRequest => ({
  order_id: `o${++n}`,
  signal_id: 's1',
  ticker: 'AAA',
  side: 'buy',
  quantity: 100,
  order_type: 'market',
  limit_price: null,
  stop_price: null,
  time_in_force: 'day',
  extended_hours: false,
  expected_price: 10,
  expires_at: null,
  purpose: 'entry',
  position_id: 'p1',
  ...over,
});

function setup(options = DEFAULT_BROKER_OPTIONS) {
  const feed = new StubFeed();
  const broker = new PaperBroker(feed, new Prng(1), new RunIds('t'), options);
  return { feed, broker };
}
const fills = (updates: ReturnType<PaperBroker['onBar']>): Fill[] => updates.flatMap((u) => (u.kind === 'fill' ? [u.fill] : []));

describe('PaperBroker', () => {
  it('fills a market buy on the next bar at the open plus slippage, with commission', () => {
    const { broker } = setup();
    expect(broker.submit(order(), T0).status).toBe('accepted');
    expect(fills(broker.onBar(bar({ time: T0 })))).toEqual([]); // not on the bar it was sent in
    const [fill] = fills(broker.onBar(bar()));
    expect(fill!.filled_quantity).toBe(100);
    expect(fill!.filled_price).toBeGreaterThan(10);
    expect(fill!.filled_price).toBeLessThan(10.05);
    expect(fill!.commission).toBe(1); // the minimum
    expect(fill!.liquidity).toBe('taker');
    expect(broker.account.shares('AAA')).toBe(100);
    expect(broker.account.cash).toBeCloseTo(100_000 - 100 * fill!.filled_price - 1, 6);
  });

  it('fills a limit only when the bar trades through it, at the limit or better', () => {
    const { broker } = setup();
    broker.submit(order({ order_type: 'limit', limit_price: 9.7 }), T0);
    expect(fills(broker.onBar(bar()))).toEqual([]);
    const [fill] = fills(broker.onBar(bar({ time: T0 + 120_000, open: 9.75, low: 9.6 })));
    expect(fill!.filled_price).toBe(9.7);
    expect(fill!.liquidity).toBe('maker');
  });

  it('triggers a sell stop when the low touches it', () => {
    const { broker } = setup();
    broker.account.applyFill('AAA', 'buy', 100, 10, 0);
    broker.submit(order({ side: 'sell', order_type: 'stop', stop_price: 9.5, purpose: 'exit' }), T0);
    expect(fills(broker.onBar(bar()))).toEqual([]);
    const [fill] = fills(broker.onBar(bar({ time: T0 + 120_000, open: 9.6, low: 9.4 })));
    expect(fill!.filled_price).toBeLessThanOrEqual(9.5);
  });

  it('fills a large order partially, bar by bar, within its share of the volume', () => {
    const { broker } = setup({ ...DEFAULT_BROKER_OPTIONS, participation: 0.1 });
    broker.submit(order({ quantity: 250 }), T0);
    const first = fills(broker.onBar(bar({ volume: 1_000 })));
    const second = fills(broker.onBar(bar({ time: T0 + 120_000, volume: 1_000 })));
    const third = fills(broker.onBar(bar({ time: T0 + 180_000, volume: 1_000 })));
    expect([first, second, third].map((f) => f[0]?.filled_quantity)).toEqual([100, 100, 50]);
    expect(broker.isWorking('o' + n)).toBe(false);
  });

  it.each([
    ['halted', () => ({ halted: true }), order()],
    ['invalid_price', () => ({}), order({ order_type: 'limit', limit_price: -1 })],
    ['invalid_price', () => ({}), order({ order_type: 'limit', limit_price: 20 })],
    ['insufficient_buying_power', () => ({}), order({ quantity: 20_000 })],
    ['invalid_quantity', () => ({}), order({ quantity: 0 })],
    ['unknown_symbol', () => ({}), order({ ticker: 'ZZZ' })],
  ])('rejects an order: %s', (reason, feedState, request) => {
    const { broker, feed } = setup();
    Object.assign(feed, feedState());
    const result = broker.submit(request, T0);
    expect(result).toMatchObject({ status: 'rejected', reject_reason: reason });
    expect(broker.isWorking(request.order_id)).toBe(false);
  });

  it('reserves buying power for working entries and releases it on cancel', () => {
    const { broker } = setup();
    const before = broker.buyingPower();
    const request = order({ quantity: 5_000 });
    broker.submit(request, T0);
    expect(broker.buyingPower()).toBeCloseTo(before - 50_000, 6);
    expect(broker.cancel(request.order_id)).toBe(true);
    expect(broker.cancel(request.order_id)).toBe(false);
    expect(broker.buyingPower()).toBeCloseTo(before, 6);
  });

  it('expires good-till orders at their time and day orders at the close', () => {
    const { broker } = setup();
    const gtd = order({ order_type: 'limit', limit_price: 9, time_in_force: 'gtc', expires_at: T0 + 600_000 });
    const day = order({ order_type: 'limit', limit_price: 9 });
    broker.submit(gtd, T0);
    broker.submit(day, T0);
    expect(broker.expire(T0 + 300_000, false)).toEqual([]);
    expect(broker.expire(T0 + 600_000, false)).toEqual([{ kind: 'expired', order_id: gtd.order_id, expired_at: T0 + 600_000 }]);
    expect(broker.expire(T0 + 700_000, true)).toEqual([{ kind: 'expired', order_id: day.order_id, expired_at: T0 + 700_000 }]);
  });
});
