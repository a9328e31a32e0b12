/**
 * A price update copies the position's state key by key (the hot path of a long rebuild):
 * every other key must come through untouched, in the state's key order, and no key may be lost.
 */
import { describe, expect, it } from 'vitest';
import { initialPositionState, positionReducer, type PositionState } from '../../src-plugins/position/reducer';
import { deepFreeze, stream } from './events';

describe('position: a price update keeps every other key of the state', () => {
  it('equals the state with only current_price, unrealized_pnl and price_history changed', () => {
    const e = stream('position', 'p1');
    let state = positionReducer.initialState('p1');
    for (const event of [
      e('POSITION_OPENED', {
        position_id: 'p1',
        ticker: 'ACME',
        side: 'long',
        quantity: 10,
        entry_price: 100,
        trade_id: 't1',
        order_id: 'o1',
      }),
      e('POSITION_STOP_LOSS_MODIFIED', { position_id: 'p1', new_stop_loss_price: 95, reason: 'trail' }),
      e('POSITION_TAKE_PROFIT_MODIFIED', { position_id: 'p1', new_take_profit_price: 130, reason: 'raise' }),
      e('POSITION_INCREASED', { position_id: 'p1', quantity: 5, price: 106, trade_id: 't2', order_id: 'o2', commission: 1 }),
      e('STOP_LOSS_TRIGGERED', { position_id: 'p1', trigger_price: 95, current_price: 94 }),
      e('POSITION_OPENED', { position_id: 'p1', ticker: 'ACME', side: 'long', quantity: 1, entry_price: 1 }),
    ]) {
      state = positionReducer.reduce(state, event);
    }
    // Every window non-empty, an anomaly recorded: nothing for the copy to get away with.
    expect(state.anomalies).toHaveLength(1);
    expect(state.triggers).toHaveLength(1);
    const before = deepFreeze(structuredClone(state));
    const after = positionReducer.reduce(
      before,
      e('POSITION_PRICE_UPDATED', { position_id: 'p1', new_price: 110, new_unrealized_pnl: 120 }, 600),
    );
    const expected: PositionState = {
      ...before,
      current_price: 110,
      unrealized_pnl: 120,
      price_history: [...before.price_history, { price: 110, pnl: 120, timestamp: 1_700_000_000_000 + 600_000 }],
    };
    expect(after).toStrictEqual(expected);
    expect(Object.keys(after)).toEqual(Object.keys(initialPositionState('p1')));
    expect(before.entry_price).toBe(102);
    // The untouched windows are shared, not copied (the copy is O(1) in their length).
    expect(after.fills).toBe(before.fills);
  });
});
