/**
 * A bot restart: one catalyst writes half a lifecycle and is closed; a NEW catalyst on the
 * same file (fresh plugin instances, nothing in memory) continues it. The plugins rebuild
 * what they need from the log: no second POSITION_OPENED, dedupe and throttling as if
 * nothing happened, sequence numbers and causal chains continue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalyst, ManualClock, type Catalyst, type CatalystPlugin, type ErrorReporter, type StoredEvent } from '../../src-core';
import alertPlugin, { AlertHooks, type AlertState } from '../../src-plugins/alert';
import orderPlugin, { OrderHooks, type OrderState } from '../../src-plugins/order';
import positionPlugin, { PositionHooks, type PositionState } from '../../src-plugins/position';
import riskPlugin, { RiskHooks } from '../../src-plugins/risk';
import { tempDir } from '../support/temp';
import { T0 } from './catalyst';

interface DeskFill {
  order_id: string;
  trade_id: string;
  filled_quantity: number;
  filled_price: number;
  commission: number;
  position_id: string;
  side: 'buy' | 'sell';
}

/** A bot whose fills move a position inside the order's fill call, the paper bot's way. */
class Desk {
  @OrderHooks.submit()
  submit(_o: { order_id: string; ticker: string; side: 'buy' | 'sell'; quantity: number; order_type: 'market' }) {}

  @OrderHooks.fill()
  fill(f: DeskFill) {
    this.position({
      position_id: f.position_id,
      trade_id: f.trade_id,
      order_id: f.order_id,
      ticker: 'AAPL',
      side: f.side,
      quantity: f.filled_quantity,
      price: f.filled_price,
      commission: f.commission,
      stop_loss_price: 9.5,
    });
  }

  @PositionHooks.fill()
  position(_f: {
    position_id: string;
    trade_id: string;
    order_id: string;
    ticker: string;
    side: 'buy' | 'sell';
    quantity: number;
    price: number;
    commission: number;
    stop_loss_price?: number;
  }) {}

  @PositionHooks.updatePrice()
  mark(_p: { position_id: string; new_price: number }) {}

  @PositionHooks.updatePrice()
  quote(_ticker: string, _price: number) {}

  @PositionHooks.modifyStop()
  trail(_p: { position_id: string; new_stop_loss_price: number; reason: string }) {}

  @PositionHooks.close()
  close(_p: { position_id: string; exit_price: number; exit_reason: string; commission: number }) {}

  @AlertHooks.receive()
  receive(alert: { alert_id: string; ticker: string; headline: string }) {
    this.decide(alert, 'wait');
  }

  @AlertHooks.decide({
    map: ([alert, decision]) => ({ alert_id: (alert as { alert_id: string }).alert_id, decision: decision as 'wait' | 'trade' }),
  })
  decide(_alert: { alert_id: string }, _decision: 'wait' | 'trade') {}

  @OrderHooks.generateSignal()
  signal(s: { signal_id: string; ticker: string; action: 'buy'; confidence: number; source_alert_id: string }) {
    return s;
  }

  @RiskHooks.check()
  check(p: { signal_id: string; notional: number }) {
    return { check: 'max_notional', passed: p.notional <= 10_000, value: p.notional, limit: 10_000 };
  }
}

const PLUGINS: CatalystPlugin[] = [orderPlugin, positionPlugin, alertPlugin, riskPlugin];

/** One "process": a catalyst on the file with fresh plugin instances, and what it wrote. */
async function boot(file: string, clock: ManualClock) {
  const errors: unknown[] = [];
  const reporter: ErrorReporter = { report: (error) => void errors.push(error) };
  const catalyst: Catalyst = await createCatalyst(
    { db: file, emitter: { handleSignals: false }, pluginOptions: { risk: { bookId: 'book-1' } } },
    { plugins: PLUGINS, clock, reporter },
  );
  const written: StoredEvent[] = [];
  catalyst.emitter.onAll((e) => void written.push(e));
  return { catalyst, desk: catalyst.bind(new Desk()), written, errors };
}

describe('plugins across a bot restart', () => {
  const tmp = tempDir('restart-');
  afterEach(() => tmp.cleanup());

  it('an order and its position continue: no second open, duplicates ignored, throttle from the last emitted price, one chain', async () => {
    const file = tmp.file('events.db');
    const clock = new ManualClock(T0);

    // Process 1: submit, a partial fill that opens the position, a mark. Then the bot stops.
    const one = await boot(file, clock);
    one.desk.submit({ order_id: 'o1', ticker: 'AAPL', side: 'buy', quantity: 100, order_type: 'market' });
    clock.advance(1_000);
    one.desk.fill({
      order_id: 'o1',
      trade_id: 't1',
      filled_quantity: 40,
      filled_price: 10,
      commission: 0.4,
      position_id: 'p1',
      side: 'buy',
    });
    clock.advance(1_000);
    one.desk.mark({ position_id: 'p1', new_price: 10.5 });
    expect(one.written.map((e) => e.event_type)).toEqual([
      'ORDER_SUBMITTED',
      'ORDER_PARTIALLY_FILLED',
      'POSITION_OPENED',
      'POSITION_PRICE_UPDATED',
    ]);
    const [submitted, partial, opened, marked] = one.written;
    const chain = submitted!.metadata.correlation_id;
    await one.catalyst.close();

    // Process 2: nothing in memory.
    clock.advance(60_000);
    const two = await boot(file, clock);
    const d = two.desk;
    d.fill({ order_id: 'o1', trade_id: 't1', filled_quantity: 40, filled_price: 10, commission: 0.4, position_id: 'p1', side: 'buy' }); // redelivered
    d.mark({ position_id: 'p1', new_price: 10.505 }); // within 0.1 % of 10.5, the last emitted price
    d.quote('AAPL', 10.51); // by ticker: the position is found open in the log; still within the threshold
    expect(two.written).toEqual([]);
    d.quote('AAPL', 10.6);
    d.trail({ position_id: 'p1', new_stop_loss_price: 9.5, reason: 'trail' }); // unchanged since process 1
    d.trail({ position_id: 'p1', new_stop_loss_price: 9.8, reason: 'trail' });
    clock.advance(1_000);
    d.fill({ order_id: 'o1', trade_id: 't2', filled_quantity: 60, filled_price: 10.2, commission: 0.6, position_id: 'p1', side: 'buy' });
    clock.advance(1_000);
    d.close({ position_id: 'p1', exit_price: 11, exit_reason: 'take_profit', commission: 1 });
    expect(two.errors).toEqual([]);
    expect(two.written.map((e) => `${e.event_type}:${e.aggregate_id}:${e.sequence_number}`)).toEqual([
      'POSITION_PRICE_UPDATED:p1:3',
      'POSITION_STOP_LOSS_MODIFIED:p1:4',
      'ORDER_FILLED:o1:3',
      'POSITION_INCREASED:p1:5',
      'POSITION_CLOSED:p1:6',
    ]);
    const [price, stop, filled, increased, closed] = two.written;
    expect(price!.payload).toMatchObject({ old_price: 10.5, new_price: 10.6, old_unrealized_pnl: 20 });
    expect(price!.payload.new_unrealized_pnl).toBeCloseTo(24, 9);
    expect(stop!.payload).toMatchObject({ old_stop_loss_price: 9.5, new_stop_loss_price: 9.8 });
    // The order adds up across the restart: 40 before, 60 now, filled.
    expect(filled!.payload).toMatchObject({ filled_quantity: 100, cumulative_quantity: 100, last_fill_quantity: 60 });
    expect(filled!.payload.filled_price).toBeCloseTo(10.12, 9);
    expect(increased!.payload).toMatchObject({ new_quantity: 100 });
    // Hold time counts from the open in process 1; P&L covers both entries and their commissions.
    expect(closed!.payload).toMatchObject({ quantity: 100, hold_duration_seconds: 63 });
    expect(closed!.payload.realized_pnl).toBeCloseTo((11 - 10.12) * 100 - 1 - 1, 9);

    // One chain, continued from where process 1 left each aggregate.
    for (const e of two.written) expect(e.metadata.correlation_id, e.event_type).toBe(chain);
    expect(price!.metadata.causation_id).toBe(marked!.event_id);
    expect(filled!.metadata.causation_id).toBe(partial!.event_id);
    expect(increased!.metadata.causation_id).toBe(filled!.event_id);
    expect(closed!.metadata.causation_id).toBe(increased!.event_id);
    expect(opened!.metadata.correlation_id).toBe(chain);

    // The log folds cleanly: one open, no anomaly, no gap.
    const position = await two.catalyst.rebuilder.rebuild<PositionState>('position', 'p1');
    expect(position.anomalies).toEqual([]);
    expect(position.state).toMatchObject({ status: 'closed', open_quantity: 0, anomalies: [], trade_ids: ['t1', 't2'] });
    expect(position.state.realized_pnl).toBeCloseTo(86, 9);
    const order = await two.catalyst.rebuilder.rebuild<OrderState>('order', 'o1');
    expect(order.state).toMatchObject({ status: 'filled', cumulative_quantity: 100, anomalies: [] });
    expect((await two.catalyst.store.readAggregate('position', 'p1')).filter((e) => e.event_type === 'POSITION_OPENED')).toHaveLength(1);
    await two.catalyst.close();
  });

  it('a fill on a position closed before the restart is refused, not opened a second time', async () => {
    const file = tmp.file('closed.db');
    const clock = new ManualClock(T0);
    const one = await boot(file, clock);
    one.desk.position({
      position_id: 'p2',
      trade_id: 't1',
      order_id: 'o2',
      ticker: 'AAPL',
      side: 'buy',
      quantity: 10,
      price: 10,
      commission: 0,
    });
    one.desk.position({
      position_id: 'p2',
      trade_id: 't2',
      order_id: 'o3',
      ticker: 'AAPL',
      side: 'sell',
      quantity: 10,
      price: 11,
      commission: 0,
    });
    one.desk.position({
      position_id: 'p3',
      trade_id: 't3',
      order_id: 'o4',
      ticker: 'MSFT',
      side: 'buy',
      quantity: 5,
      price: 100,
      commission: 0,
    });
    await one.catalyst.close();

    const two = await boot(file, clock);
    two.desk.position({
      position_id: 'p2',
      trade_id: 't9',
      order_id: 'o9',
      ticker: 'AAPL',
      side: 'buy',
      quantity: 10,
      price: 12,
      commission: 0,
    });
    two.desk.quote('AAPL', 20); // the only AAPL position is closed: nothing to mark
    two.desk.quote('MSFT', 110); // p3 is open in MSFT
    expect(two.written.map((e) => `${e.event_type}:${e.aggregate_id}`)).toEqual(['POSITION_PRICE_UPDATED:p3']);
    expect(two.errors).toHaveLength(1);
    expect(String(two.errors[0])).toMatch(/position p2 is closed/);
    const p2 = await two.catalyst.rebuilder.rebuild<PositionState>('position', 'p2');
    expect(p2.state).toMatchObject({ status: 'closed', anomalies: [] });
    await two.catalyst.close();
  });

  it("an alert, its signal and the signal's risk check continue the alert's chain after the restart", async () => {
    const file = tmp.file('alert.db');
    const clock = new ManualClock(T0);
    const one = await boot(file, clock);
    one.desk.receive({ alert_id: 'a1', ticker: 'AAPL', headline: 'AAPL beats' });
    one.desk.check({ signal_id: 'other', notional: 1 }); // the risk book's first event
    expect(one.written.map((e) => e.event_type)).toEqual(['ALERT_RECEIVED', 'ALERT_DECISION_MADE', 'RISK_CHECK_PASSED']);
    const [received, waited] = one.written;
    await one.catalyst.close();

    clock.advance(5 * 60_000);
    const two = await boot(file, clock);
    two.desk.decide({ alert_id: 'a1' }, 'trade'); // the recheck, a separate call
    two.desk.signal({ signal_id: 's1', ticker: 'AAPL', action: 'buy', confidence: 0.9, source_alert_id: 'a1' });
    two.desk.check({ signal_id: 's1', notional: 5_000 });
    expect(two.written.map((e) => `${e.event_type}:${e.sequence_number}`)).toEqual([
      'ALERT_DECISION_MADE:3',
      'SIGNAL_GENERATED:1',
      'RISK_CHECK_PASSED:2',
    ]);
    const [decided, signal, check] = two.written;
    for (const e of two.written) expect(e.metadata.correlation_id, e.event_type).toBe(received!.metadata.correlation_id);
    expect(decided!.metadata.causation_id).toBe(waited!.event_id);
    expect(signal!.metadata.causation_id).toBe(decided!.event_id);
    expect(check!.metadata.causation_id).toBe(signal!.event_id);
    const alert = await two.catalyst.rebuilder.rebuild<AlertState>('alert', 'a1');
    expect(alert.anomalies).toEqual([]);
    expect(alert.state.decision).toMatchObject({ decision: 'trade' });
    expect(two.errors).toEqual([]);
    await two.catalyst.close();
  });
});
