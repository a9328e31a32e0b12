import { describe, expect, it } from 'vitest';
import { orderReducer, ORDER_TRANSITIONS, nextOrderStatus, type OrderState } from '../../../src-plugins/order/reducer';
import { foldFrozen, stream } from '../events';

const SUBMIT = {
  order_id: 'o1',
  signal_id: 's1',
  ticker: 'AAPL',
  side: 'buy',
  quantity: 100,
  order_type: 'limit',
  limit_price: 10,
  expected_price: 10,
};

type Step = [eventType: string, payload: Record<string, unknown>];
interface Case {
  name: string;
  steps: Step[];
  expected: Partial<OrderState>;
  anomalies?: string[];
}

const cases: Case[] = [
  {
    name: 'a single fill fills the order (seed shape: no ours keys)',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_FILLED', { order_id: 'o1', filled_quantity: 100, filled_price: 10.02, slippage: 0.02 }],
    ],
    expected: {
      status: 'filled',
      filled_quantity: 100,
      filled_price: 10.02,
      avg_fill_price: 10.02,
      leaves_quantity: 0,
      slippage: 0.02,
      commission: 0,
    },
  },
  {
    name: 'partial fills average the price; ORDER_FILLED carries the totals and its own last fill',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_ACCEPTED', { order_id: 'o1', broker_order_id: 'b-1' }],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10, commission: 0.4, trade_id: 't1' }],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 30, filled_price: 10.5, commission: 0.3, trade_id: 't2' }],
      [
        'ORDER_FILLED',
        {
          order_id: 'o1',
          filled_quantity: 100,
          filled_price: 10.45,
          last_fill_quantity: 30,
          last_fill_price: 11,
          commission: 0.3,
          trade_id: 't3',
        },
      ],
    ],
    expected: {
      status: 'filled',
      broker_order_id: 'b-1',
      cumulative_quantity: 100,
      filled_quantity: 100,
      filled_price: 10.45,
      leaves_quantity: 0,
      trade_ids: ['t1', 't2', 't3'],
    },
  },
  {
    name: 'a seed-style ORDER_FILLED (totals, no last fill) after a partial: the fill is the difference',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10 }],
      ['ORDER_FILLED', { order_id: 'o1', filled_quantity: 100, filled_price: 10.6 }],
    ],
    expected: { status: 'filled', cumulative_quantity: 100, filled_price: 10.6, leaves_quantity: 0, slippage: 0 },
  },
  {
    name: 'partial fill leaves the rest open',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 25, filled_price: 9.9, commission: 1 }],
    ],
    expected: { status: 'partially_filled', cumulative_quantity: 25, leaves_quantity: 75, filled_price: 9.9, commission: 1 },
  },
  {
    name: 'rejected order keeps its reason',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_REJECTED', { order_id: 'o1', reject_reason: 'insufficient_funds', broker_message: 'buying power 0' }],
    ],
    expected: {
      status: 'rejected',
      reject_reason: 'insufficient_funds',
      broker_message: 'buying power 0',
      leaves_quantity: 0,
      filled_quantity: null,
    },
  },
  {
    name: 'cancel after a partial fill: what filled stays filled',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10 }],
      ['ORDER_CANCELLED', { order_id: 'o1', reason: 'user' }],
    ],
    expected: { status: 'cancelled', cumulative_quantity: 40, leaves_quantity: 0, cancel_reason: 'user' },
  },
  {
    name: 'a fill after a cancel is an anomaly and changes nothing',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_CANCELLED', { order_id: 'o1' }],
      ['ORDER_FILLED', { order_id: 'o1', filled_quantity: 100, filled_price: 10 }],
    ],
    expected: { status: 'cancelled', cumulative_quantity: 0, filled_quantity: null, fills: [] },
    anomalies: ['impossible_transition'],
  },
  {
    name: 'a fill before the submit (out of order) is an anomaly',
    steps: [
      ['ORDER_FILLED', { order_id: 'o1', filled_quantity: 100, filled_price: 10 }],
      ['ORDER_SUBMITTED', SUBMIT],
    ],
    expected: { status: 'submitted', cumulative_quantity: 0 },
    anomalies: ['impossible_transition'],
  },
  {
    name: 'the same trade id twice is applied once',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10, trade_id: 't1' }],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10, trade_id: 't1' }],
    ],
    expected: { status: 'partially_filled', cumulative_quantity: 40, leaves_quantity: 60 },
    anomalies: ['duplicate_fill'],
  },
  {
    name: 'an overfill is applied and flagged',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 80, filled_price: 10 }],
      ['ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10 }],
    ],
    expected: { cumulative_quantity: 120, leaves_quantity: 0 },
    anomalies: ['overfill'],
  },
  {
    name: 'expiry ends an accepted order',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_ACCEPTED', { order_id: 'o1' }],
      ['ORDER_EXPIRED', { order_id: 'o1' }],
    ],
    expected: { status: 'expired', leaves_quantity: 0 },
  },
  {
    name: 'a second submit is an anomaly',
    steps: [
      ['ORDER_SUBMITTED', SUBMIT],
      ['ORDER_SUBMITTED', { ...SUBMIT, quantity: 5 }],
    ],
    expected: { status: 'submitted', quantity: 100 },
    anomalies: ['impossible_transition'],
  },
];

describe('order reducer', () => {
  it.each(cases)('$name', ({ steps, expected, anomalies = [] }) => {
    const e = stream('order', 'o1');
    const state = foldFrozen(
      orderReducer,
      'o1',
      steps.map(([type, payload]) => e(type, payload)),
    );
    expect(state).toMatchObject(expected);
    expect(state.anomalies.map((a) => a.reason)).toEqual(anomalies);
    // the seed's history: one entry per event, whatever it did
    expect(state.status_history.map((h) => h.status)).toEqual(steps.map(([type]) => type));
  });

  it('averages partial fills exactly and sums commission', () => {
    const e = stream('order', 'o1');
    const state = foldFrozen(orderReducer, 'o1', [
      e('ORDER_SUBMITTED', SUBMIT),
      e('ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10, commission: 0.4 }),
      e('ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 30, filled_price: 10.5, commission: 0.3 }),
    ]);
    expect(state.avg_fill_price).toBeCloseTo((40 * 10 + 30 * 10.5) / 70, 12);
    expect(state.commission).toBeCloseTo(0.7, 12);
    expect(state.fills).toHaveLength(2);
  });

  it('derives the last fill of a totals-only ORDER_FILLED from the running average', () => {
    const e = stream('order', 'o1');
    const state = foldFrozen(orderReducer, 'o1', [
      e('ORDER_SUBMITTED', SUBMIT),
      e('ORDER_PARTIALLY_FILLED', { order_id: 'o1', filled_quantity: 40, filled_price: 10 }),
      e('ORDER_FILLED', { order_id: 'o1', filled_quantity: 100, filled_price: 10.6 }),
    ]);
    // 40 @ 10 + 60 @ x = 100 @ 10.6  ->  x = 11
    expect(state.avg_fill_price).toBeCloseTo(10.6, 12);
    expect(state.cumulative_quantity).toBe(100);
  });

  it('has an explicit transition table: terminal states accept nothing', () => {
    for (const terminal of ['filled', 'rejected', 'cancelled', 'expired'] as const) {
      expect(Object.keys(ORDER_TRANSITIONS[terminal])).toEqual([]);
    }
    expect(nextOrderStatus('submitted', 'ORDER_FILLED')).toBe('filled');
    expect(nextOrderStatus('partially_filled', 'ORDER_ACCEPTED')).toBeNull();
  });

  it('ignores event types it does not know, apart from the seed-style history', () => {
    const e = stream('order', 'o1');
    const state = foldFrozen(orderReducer, 'o1', [e('ORDER_SUBMITTED', SUBMIT), e('ORDER_NOTE_ADDED', { note: 'x' })]);
    expect(state.status).toBe('submitted');
    expect(state.anomalies).toEqual([]);
    expect(state.status_history).toHaveLength(2);
  });
});
