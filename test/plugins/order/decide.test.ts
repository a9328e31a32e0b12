/** The order plugin's decide functions: pure, so tested on folded states without a log. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src-core';
import { decideFill, decideSubmitOutcome, decideSubmitted } from '../../../src-plugins/order/decide';
import { orderReducer, type OrderState } from '../../../src-plugins/order/reducer';
import { fold, stream } from '../events';

const NOW = Date.UTC(2026, 11, 5, 14, 30);

describe('order decide', () => {
  const e = stream('order', 'o1');
  const submitted = fold(orderReducer, 'o1', [
    e('ORDER_SUBMITTED', {
      order_id: 'o1',
      ticker: 'AAPL',
      side: 'buy',
      quantity: 100,
      order_type: 'limit',
      limit_price: 150,
      expected_price: 150,
    }),
  ]);

  it('submits with lower-cased enums, market by default, on the signal chain', () => {
    const d = decideSubmitted({ order_id: 'o2', ticker: 'MSFT', side: 'SELL', quantity: 5, signal_id: 's1' });
    expect(d).toMatchObject({ eventType: 'ORDER_SUBMITTED', aggregateId: 'o2', payload: { side: 'sell', order_type: 'market' } });
    expect(d.follow).toEqual([
      { aggregateType: 'order', aggregateId: 'o2' },
      { aggregateType: 'signal', aggregateId: 's1' },
    ]);
  });

  it('a partial fill then the final one: cumulative, leaves, average and slippage against the expected price', () => {
    const partial = decideFill({ order_id: 'o1', filled_quantity: 40, filled_price: 149.9, trade_id: 't1' }, submitted, NOW)!;
    expect(partial).toMatchObject({
      eventType: 'ORDER_PARTIALLY_FILLED',
      payload: {
        filled_quantity: 40,
        cumulative_quantity: 40,
        leaves_quantity: 60,
        avg_fill_price: 149.9,
        slippage: -0.1,
        fill_time: new Date(NOW).toISOString(),
      },
    });
    const afterPartial = orderReducer.reduce(submitted, e('ORDER_PARTIALLY_FILLED', partial.payload));
    const final = decideFill({ order_id: 'o1', filled_quantity: 60, filled_price: 150, trade_id: 't2' }, afterPartial, NOW)!;
    expect(final.eventType).toBe('ORDER_FILLED');
    expect(final.payload).toMatchObject({ filled_quantity: 100, last_fill_quantity: 60, last_fill_price: 150, cumulative_quantity: 100 });
    expect(final.payload.filled_price).toBeCloseTo(149.96, 10);
    // A trade id already applied decides nothing; a fill without a price is refused.
    expect(decideFill({ order_id: 'o1', filled_quantity: 40, filled_price: 149.9, trade_id: 't1' }, afterPartial, NOW)).toBeNull();
    expect(() => decideFill({ order_id: 'o1', filled_quantity: 1 }, afterPartial, NOW)).toThrow(ValidationError);
  });

  it('an explicit leaves_quantity wins; an order it knows nothing of is filled by the fill alone', () => {
    expect(decideFill({ order_id: 'o1', filled_quantity: 100, filled_price: 150, leaves_quantity: 5 }, submitted, NOW)?.eventType).toBe(
      'ORDER_PARTIALLY_FILLED',
    );
    const unknown: OrderState | undefined = undefined;
    expect(decideFill({ order_id: 'ox', filled_quantity: 3, filled_price: 10 }, unknown, NOW)).toMatchObject({
      eventType: 'ORDER_FILLED',
      payload: { slippage: null },
    });
  });

  it("a submit call's result adds a rejection or an acceptance", () => {
    expect(decideSubmitOutcome('o1', { status: 'REJECTED', reject_reason: 'halted' }, NOW)).toMatchObject({
      eventType: 'ORDER_REJECTED',
      payload: { reject_reason: 'halted', broker_message: null, rejected_at: new Date(NOW).toISOString() },
    });
    expect(decideSubmitOutcome('o1', { status: 'accepted', broker_order_id: 'B1' }, NOW)).toMatchObject({
      eventType: 'ORDER_ACCEPTED',
      payload: { broker_order_id: 'B1' },
    });
    expect(decideSubmitOutcome('o1', { status: 'submitted' }, NOW)).toBeNull();
  });
});
