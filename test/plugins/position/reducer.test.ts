import { describe, expect, it } from 'vitest';
import { positionReducer, type PositionState } from '../../../src-plugins/position/reducer';
import { foldFrozen, stream } from '../events';

type Step = [eventType: string, payload: Record<string, unknown>, atSeconds?: number];
interface Case {
  name: string;
  steps: Step[];
  expected: Partial<PositionState>;
  close?: Partial<Record<'realized_pnl' | 'unrealized_pnl' | 'entry_price' | 'fees' | 'return_pct', number>>;
  anomalies?: string[];
}

const LONG = {
  position_id: 'p1',
  ticker: 'AAPL',
  side: 'long',
  quantity: 100,
  entry_price: 10,
  stop_loss_price: 9.5,
  take_profit_price: 12,
};
const SHORT = {
  position_id: 'p1',
  ticker: 'TSLA',
  side: 'short',
  quantity: 100,
  entry_price: 50,
  stop_loss_price: 55,
  take_profit_price: null,
};

const cases: Case[] = [
  {
    name: 'long: price updates recompute unrealized P&L from price and side',
    steps: [
      ['POSITION_OPENED', LONG],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 10.5, new_unrealized_pnl: 50 }, 60],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 9.8, new_unrealized_pnl: -20 }, 120],
    ],
    expected: { status: 'open', current_price: 9.8, open_quantity: 100 },
    close: { unrealized_pnl: -20 },
  },
  {
    name: 'short: a falling price is a gain',
    steps: [
      ['POSITION_OPENED', SHORT],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 45, new_unrealized_pnl: 500 }],
    ],
    expected: { side: 'short', current_price: 45 },
    close: { unrealized_pnl: 500 },
  },
  {
    name: 'short closed with commission: realized net of entry and exit commission',
    steps: [
      ['POSITION_OPENED', { ...SHORT, commission: 1 }, 0],
      [
        'POSITION_CLOSED',
        { position_id: 'p1', exit_reason: 'take_profit', exit_price: 40, realized_pnl: 998, hold_duration_seconds: 3600 },
        3600,
      ],
    ],
    expected: { status: 'closed', exit_reason: 'take_profit', open_quantity: 0, quantity: 100, hold_duration_seconds: 3600 },
    close: { realized_pnl: 998, fees: 1, return_pct: (998 / 5000) * 100 },
  },
  {
    name: 'close without stated P&L: computed (exit - entry) * qty * side - commissions',
    steps: [
      ['POSITION_OPENED', { ...SHORT, commission: 1 }, 0],
      ['POSITION_CLOSED', { position_id: 'p1', exit_reason: 'manual', exit_price: 52, commission: 1 }, 90],
    ],
    expected: { status: 'closed', hold_duration_seconds: 90 },
    close: { realized_pnl: -202, fees: 2 },
  },
  {
    name: 'increase re-averages entry; reduce realizes on the reduced quantity only, net of its commission share',
    steps: [
      ['POSITION_OPENED', { ...LONG, commission: 2, trade_id: 't1' }],
      ['POSITION_INCREASED', { position_id: 'p1', quantity: 100, price: 12, commission: 2, trade_id: 't2' }],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 13, new_unrealized_pnl: 400 }],
      ['POSITION_REDUCED', { position_id: 'p1', quantity: 50, price: 13, commission: 1, trade_id: 't3' }],
    ],
    expected: { open_quantity: 150, quantity: 150, open_commission: 3, trade_ids: ['t1', 't2', 't3'] },
    // (13 - 11) * 50 - 1 - 4 * 50/200 = 98; unrealized (13 - 11) * 150 = 300
    close: { entry_price: 11, realized_pnl: 98, unrealized_pnl: 300, fees: 5 },
  },
  {
    name: 'reduce then close: the close adds its own part to the running realized P&L',
    steps: [
      ['POSITION_OPENED', { ...LONG, commission: 2, trade_id: 't1' }],
      ['POSITION_INCREASED', { position_id: 'p1', quantity: 100, price: 12, commission: 2, trade_id: 't2' }],
      ['POSITION_REDUCED', { position_id: 'p1', quantity: 50, price: 13, commission: 1, trade_id: 't3' }],
      ['POSITION_CLOSED', { position_id: 'p1', exit_reason: 'stop_loss', exit_price: 9, commission: 1.5, trade_id: 't4' }],
    ],
    expected: { status: 'closed', open_quantity: 0, open_commission: 0 },
    // 98 + (9 - 11) * 150 - 1.5 - 3 = -206.5 over an entry cost of 1000 + 1200
    close: { realized_pnl: -206.5, fees: 6.5, return_pct: (-206.5 / 2200) * 100 },
  },
  {
    name: 'stop and take-profit changes keep their history; triggers are recorded',
    steps: [
      ['POSITION_OPENED', LONG],
      ['POSITION_STOP_LOSS_MODIFIED', { position_id: 'p1', old_stop_loss_price: 9.5, new_stop_loss_price: 10, reason: 'trail' }],
      ['POSITION_TAKE_PROFIT_MODIFIED', { position_id: 'p1', new_take_profit_price: 13 }],
      ['STOP_LOSS_TRIGGERED', { position_id: 'p1', trigger_price: 10, current_price: 9.99 }],
      ['POSITION_CLOSED', { position_id: 'p1', exit_reason: 'stop_loss', exit_price: 9.99, realized_pnl: -1, hold_duration_seconds: 5 }],
    ],
    expected: {
      stop_loss: 10,
      take_profit: 13,
      exit_reason: 'stop_loss',
      stop_loss_history: [
        { old_price: null, new_price: 9.5, reason: 'initial', timestamp: 1_700_000_000_000 },
        { old_price: 9.5, new_price: 10, reason: 'trail', timestamp: 1_700_000_001_000 },
      ],
      triggers: [{ type: 'stop_loss', trigger_price: 10, current_price: 9.99, timestamp: 1_700_000_003_000 }],
    },
  },
  {
    name: 'a fill seen twice (same trade id) is applied once',
    steps: [
      ['POSITION_OPENED', { ...LONG, trade_id: 't1' }],
      ['POSITION_INCREASED', { position_id: 'p1', quantity: 50, price: 11, trade_id: 't2' }],
      ['POSITION_INCREASED', { position_id: 'p1', quantity: 50, price: 11, trade_id: 't2' }],
    ],
    expected: { open_quantity: 150 },
    anomalies: ['duplicate_trade'],
  },
  {
    name: 'a price update after the close is an anomaly; seed semantics keep the last marked values',
    steps: [
      ['POSITION_OPENED', LONG],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 11, new_unrealized_pnl: 100 }],
      ['POSITION_CLOSED', { position_id: 'p1', exit_reason: 'manual', exit_price: 11, realized_pnl: 100, hold_duration_seconds: 2 }],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 12, new_unrealized_pnl: 200 }],
    ],
    expected: { status: 'closed', current_price: 11, exit_price: 11 },
    close: { unrealized_pnl: 100, realized_pnl: 100 },
    anomalies: ['not_open'],
  },
  {
    name: 'a reduction of everything (or more) is clamped and flagged',
    steps: [
      ['POSITION_OPENED', LONG],
      ['POSITION_REDUCED', { position_id: 'p1', quantity: 150, price: 11 }],
    ],
    expected: { open_quantity: 0 },
    close: { realized_pnl: 100 },
    anomalies: ['reduce_to_zero_or_beyond'],
  },
  {
    name: 'a stated unrealized P&L that disagrees with price and side is flagged; the computed one stands',
    steps: [
      ['POSITION_OPENED', SHORT],
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 45, new_unrealized_pnl: -500 }],
    ],
    expected: {},
    close: { unrealized_pnl: 500 },
    anomalies: ['unrealized_pnl_mismatch'],
  },
  {
    name: 'opening twice or events before the open are anomalies',
    steps: [
      ['POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 12, new_unrealized_pnl: 0 }],
      ['POSITION_OPENED', LONG],
      ['POSITION_OPENED', { ...LONG, quantity: 1 }],
    ],
    expected: { status: 'open', quantity: 100 },
    anomalies: ['not_open', 'already_opened'],
  },
];

describe('position reducer', () => {
  it.each(cases)('$name', ({ steps, expected, close = {}, anomalies = [] }) => {
    const e = stream('position', 'p1');
    const state = foldFrozen(
      positionReducer,
      'p1',
      steps.map(([type, payload, at]) => e(type, payload, at)),
    );
    expect(state).toMatchObject(expected);
    for (const [key, value] of Object.entries(close)) {
      expect(state[key as keyof PositionState], key).toBeCloseTo(value, 9);
    }
    expect(state.anomalies.map((a) => a.reason)).toEqual(anomalies);
  });

  it('price history records price, pnl and time like the seed', () => {
    const e = stream('position', 'p1');
    const state = foldFrozen(positionReducer, 'p1', [
      e('POSITION_OPENED', LONG, 0),
      e('POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 10.5, new_unrealized_pnl: 50 }, 30),
    ]);
    expect(state.price_history).toEqual([{ price: 10.5, pnl: 50, timestamp: 1_700_000_030_000 }]);
    expect(state.pnl_history).toEqual([]);
  });
});
