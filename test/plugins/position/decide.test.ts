/** The position plugin's decide functions: pure, so tested on folded states without a log. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src-core';
import { decideCloseCall, decideFill, decideLevelChange, decidePriceUpdate } from '../../../src-plugins/position/decide';
import { positionReducer } from '../../../src-plugins/position/reducer';
import { fold, stream } from '../events';

const NOW = 1_700_000_060_000;

describe('position decide', () => {
  const e = stream('position', 'p1');
  const long = fold(positionReducer, 'p1', [
    e('POSITION_OPENED', {
      position_id: 'p1',
      ticker: 'AAPL',
      side: 'long',
      quantity: 100,
      entry_price: 10,
      stop_loss_price: 9,
      commission: 1,
      trade_id: 't1',
    }),
  ]);
  const fill = (side: string, quantity: number, price: number, trade: string) => ({
    position_id: 'p1',
    ticker: 'AAPL',
    side,
    quantity,
    price,
    trade_id: trade,
    commission: 2,
  });

  it('a fill opens, increases, reduces or closes; a trade id seen before decides nothing', () => {
    expect(decideFill(fill('buy', 100, 10, 't1'), undefined, NOW).map((d) => d.eventType)).toEqual(['POSITION_OPENED']);
    expect(decideFill(fill('buy', 100, 12, 't2'), long, NOW)).toMatchObject([
      { eventType: 'POSITION_INCREASED', payload: { new_quantity: 200, new_entry_price: 11 } },
    ]);
    // 40 sold at 12: 80 gross, minus this commission (2) and 40 % of the entry commission (0.4).
    const [reduced] = decideFill(fill('sell', 40, 12, 't3'), long, NOW);
    expect(reduced).toMatchObject({ eventType: 'POSITION_REDUCED', payload: { new_quantity: 60 } });
    expect(reduced!.payload.realized_pnl).toBeCloseTo(77.6, 10);
    expect(decideFill(fill('sell', 100, 11, 't4'), long, NOW)).toMatchObject([
      { eventType: 'POSITION_CLOSED', payload: { exit_reason: 'manual', quantity: 100 }, createdAt: NOW },
    ]);
    expect(decideFill(fill('buy', 5, 10, 't1'), long, NOW)).toEqual([]);
  });

  it('past zero: the position closes as a reversal and the other side opens on a new id, the commission split by quantity', () => {
    const [closed, opened] = decideFill(fill('sell', 150, 11, 't5'), long, NOW);
    expect(closed).toMatchObject({ eventType: 'POSITION_CLOSED', aggregateId: 'p1', payload: { exit_reason: 'reversal' } });
    expect(closed!.payload.commission).toBeCloseTo(2 * (100 / 150), 10);
    expect(opened).toMatchObject({
      eventType: 'POSITION_OPENED',
      aggregateId: 'p1:t5',
      payload: { side: 'short', quantity: 50, entry_price: 11 },
    });
    expect(opened!.payload.commission).toBeCloseTo(2 * (50 / 150), 10);
    expect(opened!.follow).toContainEqual({ aggregateType: 'position', aggregateId: 'p1' });
  });

  it('a price update only past the threshold since the last emitted price, with the unrealized P&L computed', () => {
    expect(decidePriceUpdate(long, 10.005, {}, 0.001)).toBeNull();
    expect(decidePriceUpdate(long, 10.5, { price_source: 'feed' }, 0.001)).toMatchObject({
      eventType: 'POSITION_PRICE_UPDATED',
      payload: { old_price: 10, new_price: 10.5, old_unrealized_pnl: 0, new_unrealized_pnl: 50, price_source: 'feed' },
    });
  });

  it('an unchanged stop decides nothing; closing a closed position is refused', () => {
    expect(decideLevelChange('POSITION_STOP_LOSS_MODIFIED', 'stop_loss', { position_id: 'p1', new_stop_loss_price: 9 }, long)).toBeNull();
    expect(
      decideLevelChange('POSITION_STOP_LOSS_MODIFIED', 'stop_loss', { position_id: 'p1', new_stop_loss_price: 9.5 }, long),
    ).toMatchObject({
      payload: { old_stop_loss_price: 9, new_stop_loss_price: 9.5 },
    });
    const closed = positionReducer.reduce(
      long,
      e('POSITION_CLOSED', { position_id: 'p1', exit_reason: 'manual', exit_price: 11, realized_pnl: 99, hold_duration_seconds: 60 }),
    );
    expect(() => decideCloseCall({ position_id: 'p1', exit_price: 11 }, closed, NOW)).toThrow(ValidationError);
  });
});
