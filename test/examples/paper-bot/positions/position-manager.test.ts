import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src-core';
import { PositionManager, type PositionFill } from '../../../../examples/paper-bot/positions/position-manager';
import { DEFAULT_EXIT_RULES } from '../../../../examples/paper-bot/positions/types';
import type { Bar } from '../../../../examples/paper-bot/market/types';

const T0 = 1_740_000_000_000;
const fill = (over: Partial<PositionFill>): PositionFill => ({
  position_id: 'p1',
  trade_id: 't1',
  ticker: 'AAA',
  side: 'buy',
  quantity: 100,
  price: 10,
  commission: 1,
  order_id: 'o1',
  signal_id: 's1',
  stop_loss_price: 9.75,
  take_profit_price: 10.5,
  ...over,
});
const bar = (time: number, over: Partial<Bar>): Bar => ({
  ticker: 'AAA',
  time,
  open: 10,
  high: 10,
  low: 10,
  close: 10,
  volume: 10_000,
  ...over,
});

function setup() {
  const clock = new ManualClock(T0);
  return { clock, positions: new PositionManager(DEFAULT_EXIT_RULES, clock) };
}

describe('PositionManager', () => {
  it('opens on the first fill and averages the entry over later fills', () => {
    const { positions } = setup();
    positions.applyFill(fill({}));
    positions.applyFill(fill({ trade_id: 't2', quantity: 300, price: 10.4, commission: 1.5 }));
    positions.applyFill(fill({ trade_id: 't2', quantity: 300, price: 10.4 })); // seen: ignored
    const p = positions.get('p1')!;
    expect(p).toMatchObject({ side: 'long', status: 'open', open_quantity: 400, fees: 2.5, open_commission: 2.5, stop_loss: 9.75 });
    expect(p.entry_price).toBeCloseTo(10.3, 12);
    expect(p.fills.map((f) => f.action)).toEqual(['open', 'increase']);
  });

  it('realizes P&L on the reduced part only, net of the exit commission and its share of the entry commission', () => {
    const { positions } = setup();
    positions.applyFill(fill({ commission: 2 }));
    positions.applyFill(fill({ trade_id: 't2', side: 'sell', quantity: 40, price: 11, commission: 1 }));
    const p = positions.get('p1')!;
    expect(p.realized_pnl).toBeCloseTo(40 * 1 - 1 - 0.8, 12);
    expect(p.open_quantity).toBe(60);
    expect(p.open_commission).toBeCloseTo(1.2, 12);
    positions.applyFill(fill({ trade_id: 't3', side: 'sell', quantity: 60, price: 9, commission: 1, exit_reason: 'stop_loss' }));
    expect(p).toMatchObject({ status: 'closed', exit_reason: 'stop_loss', exit_price: 9, open_quantity: 0, quantity: 60 });
    expect(p.realized_pnl).toBeCloseTo(38.2 + (-60 - 1 - 1.2), 12);
    expect(p.return_pct).toBeCloseTo((p.realized_pnl / 1000) * 100, 12);
  });

  it('computes a short the other way round', () => {
    const { positions, clock } = setup();
    positions.applyFill(fill({ side: 'sell', commission: 0, stop_loss_price: 10.25, take_profit_price: 9.5 }));
    clock.advance(90_000);
    positions.applyFill(fill({ trade_id: 't2', side: 'buy', price: 9.5, commission: 0, exit_reason: 'take_profit' }));
    const p = positions.get('p1')!;
    expect(p.side).toBe('short');
    expect(p.realized_pnl).toBeCloseTo(50, 12);
    expect(p.hold_duration_seconds).toBe(90);
  });

  it('reports prices only past the threshold, and trails the stop behind a winner', () => {
    const { positions, clock } = setup();
    positions.applyFill(fill({}));
    positions.onBar(bar(T0 + 60_000, { close: 10.005, high: 10.01, low: 10 })); // 0.05%: not reported
    expect(positions.get('p1')!.price_history).toEqual([]);
    clock.set(T0 + 120_000);
    positions.onBar(bar(T0 + 120_000, { close: 10.3, high: 10.3, low: 10.1 }));
    const p = positions.get('p1')!;
    expect(p.price_history).toEqual([{ price: 10.3, pnl: expect.closeTo(30, 9) as number, timestamp: T0 + 120_000 }]);
    expect(p.stop_loss).toBe(10.09); // 2% under the best price
    expect(p.stop_loss_history.map((h) => h.reason)).toEqual(['initial', 'trailing']);
  });

  it('triggers the stop loss (before moving it) and asks for an exit', () => {
    const { positions } = setup();
    positions.applyFill(fill({}));
    const exits = positions.onBar(bar(T0 + 60_000, { open: 9.9, low: 9.7, high: 9.9, close: 9.72 }));
    expect(exits).toEqual([{ position_id: 'p1', ticker: 'AAA', side: 'sell', quantity: 100, reason: 'stop_loss', price: 9.72 }]);
    const p = positions.get('p1')!;
    expect(p.triggers).toEqual([{ type: 'stop_loss', trigger_price: 9.75, current_price: 9.72, timestamp: T0 }]);
    expect(positions.onBar(bar(T0 + 120_000, { low: 9 }))).toEqual([]); // already exiting
  });

  it('triggers the take profit, extends it on a follow-on catalyst, and flattens on request', () => {
    const { positions } = setup();
    positions.applyFill(fill({}));
    positions.extendTarget('AAA', 'follow-on');
    expect(positions.get('p1')!.take_profit).toBe(10.82);
    expect(positions.onBar(bar(T0 + 60_000, { high: 10.9, close: 10.85 }))[0]?.reason).toBe('take_profit');
    positions.applyFill(fill({ position_id: 'p2', trade_id: 't9' }));
    expect(positions.flattenAll('timeout').map((e) => e.position_id)).toEqual(['p2']);
  });
});
