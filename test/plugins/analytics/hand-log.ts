/**
 * A small log built by hand, whose every figure is worked out in the comments (and checked
 * in fold.test.ts): a long that scales in and exits in parts, a short, a flip (close with
 * reason 'reversal' and open the other side) and a position still open at the cut-off, with
 * fees, plus the alerts, orders and risk events around them.
 */
import type { StoredEvent } from '../../../src-core';

export const DAY1 = Date.UTC(2025, 2, 3, 14, 30);
export const DAY2 = Date.UTC(2025, 2, 4, 14, 30);
export const min = (day: number, m: number): number => day + m * 60_000;

export class LogBuilder {
  readonly events: StoredEvent[] = [];
  private readonly seq = new Map<string, number>();

  add(
    type: string,
    aggregateType: string,
    aggregateId: string,
    at: number,
    payload: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ): StoredEvent {
    const key = `${aggregateType}:${aggregateId}`;
    const sequence = (this.seq.get(key) ?? 0) + 1;
    this.seq.set(key, sequence);
    const position = this.events.length + 1;
    const event: StoredEvent = {
      position,
      event_id: `00000000-0000-7000-8000-${String(position).padStart(12, '0')}`,
      event_type: type,
      aggregate_type: aggregateType,
      aggregate_id: aggregateId,
      sequence_number: sequence,
      created_at: at,
      payload,
      metadata: { source: 'test', correlation_id: null, causation_id: null, user_id: null, version: '1.0', ...meta },
    };
    this.events.push(event);
    return event;
  }

  pos(type: string, id: string, at: number, payload: Record<string, unknown>): StoredEvent {
    return this.add(type, 'position', id, at, { position_id: id, ...payload });
  }
}

/** Times of the events the tests cut at. */
export const T = {
  aaaOpen: min(DAY1, 0),
  aaaMarked: min(DAY1, 2),
  aaaClosed: min(DAY1, 4),
  bbbMarked: min(DAY1, 11),
  bbbOrderWorking: min(DAY1, 12),
  bbbClosed: min(DAY1, 13),
  dddMarked: min(DAY2, 32),
};

export function handLog(): StoredEvent[] {
  const b = new LogBuilder();
  // --- alerts and decisions (threshold 0.65)
  b.add('ALERT_RECEIVED', 'alert', 'al-1', min(DAY1, -3), { alert_id: 'al-1', ticker: 'AAA', headline: 'FDA approval' });
  b.add('ALERT_DECISION_MADE', 'alert', 'al-1', min(DAY1, -2), {
    alert_id: 'al-1',
    decision: 'trade',
    score: 0.8,
    min_score_threshold: 0.65,
    reason_code: 'score_passed',
    signal_id: 'sig-A',
  });
  b.add('SIGNAL_GENERATED', 'signal', 'sig-A', min(DAY1, -2), {
    signal_id: 'sig-A',
    ticker: 'AAA',
    action: 'buy',
    confidence: 0.8,
    source_alert_id: 'al-1',
  });
  b.add('ALERT_RECEIVED', 'alert', 'al-2', min(DAY1, -1), { alert_id: 'al-2', ticker: 'BBB', headline: 'offering' });
  b.add('ALERT_DECISION_MADE', 'alert', 'al-2', min(DAY1, -1), {
    alert_id: 'al-2',
    decision: 'skip',
    score: 0.6,
    min_score_threshold: 0.65,
    reason_code: 'score_below_threshold',
  });
  b.add('ALERT_SKIPPED', 'alert', 'al-2', min(DAY1, -1), {
    alert_id: 'al-2',
    reason: 'score 0.6 < 0.65',
    reason_code: 'score_below_threshold',
  });

  // --- AAA long: open 100 @ 10 (fee 1), add 100 @ 12 (fee 1) -> 200 @ avg 11, entry cost 2200
  b.pos('POSITION_OPENED', 'pos-AAA', T.aaaOpen, {
    ticker: 'AAA',
    side: 'long',
    quantity: 100,
    entry_price: 10,
    commission: 1,
    signal_id: 'sig-A',
    trade_id: 'f1',
  });
  b.pos('POSITION_INCREASED', 'pos-AAA', min(DAY1, 1), { quantity: 100, price: 12, commission: 1, trade_id: 'f2' }); // equity 200
  b.pos('POSITION_INCREASED', 'pos-AAA', min(DAY1, 1), { quantity: 100, price: 12, commission: 1, trade_id: 'f2' }); // the same fill again: ignored
  b.pos('POSITION_PRICE_UPDATED', 'pos-AAA', T.aaaMarked, { new_price: 13, new_unrealized_pnl: 400 }); // (13-11)*200 = 400
  // sell 50 @ 14, fee 0.5; entry fees released 2 * 50/200 = 0.5 -> (14-11)*50 - 0.5 - 0.5 = 149; unrealized (14-11)*150 = 450, equity 599
  b.pos('POSITION_REDUCED', 'pos-AAA', min(DAY1, 3), { quantity: 50, price: 14, commission: 0.5, trade_id: 'f3' });
  // sell 150 @ 9, fee 1.5; remaining entry fees 1.5 -> (9-11)*150 - 1.5 - 1.5 = -303; total -154; fees 4; equity -154 (drawdown 753)
  b.pos('POSITION_CLOSED', 'pos-AAA', T.aaaClosed, {
    ticker: 'AAA',
    side: 'long',
    exit_reason: 'stop_loss',
    exit_price: 9,
    quantity: 150,
    commission: 1.5,
    trade_id: 'f4',
  });
  b.add('DAILY_LOSS_LIMIT_WARNING', 'risk', 'book', T.aaaClosed, { realized_pnl_today: -154, limit: 1000 });
  b.add('CIRCUIT_BREAKER_TRIGGERED', 'risk', 'book', T.aaaClosed, { reason: '1 consecutive losing trade', until: min(DAY1, 9) });
  b.add('RISK_CHECK_FAILED', 'risk', 'book', min(DAY1, 5), {
    check: 'circuit_breaker',
    subject: 'sig-X',
    value: 1,
    limit: 1,
    reason_code: 'circuit_breaker_tripped',
  });
  b.add('CIRCUIT_BREAKER_RESET', 'risk', 'book', min(DAY1, 9), { reason: 'cooldown elapsed' });

  // --- BBB short: 100 @ 5 (fee 1); mark 4.5 -> +50; cover @ 4 (fee 1) -> (4-5)*100*(-1) - 1 - 1 = 98
  b.pos('POSITION_OPENED', 'pos-BBB', min(DAY1, 10), { ticker: 'BBB', side: 'short', quantity: 100, entry_price: 5, commission: 1 });
  b.pos('POSITION_PRICE_UPDATED', 'pos-BBB', T.bbbMarked, { new_price: 4.5, new_unrealized_pnl: 50 });
  b.add('ORDER_SUBMITTED', 'order', 'ord-1', T.bbbOrderWorking, {
    order_id: 'ord-1',
    ticker: 'BBB',
    side: 'cover',
    quantity: 100,
    order_type: 'limit',
    limit_price: 4,
  });
  b.add('ORDER_ACCEPTED', 'order', 'ord-1', T.bbbOrderWorking, { order_id: 'ord-1' });
  b.add('ORDER_SUBMITTED', 'order', 'ord-2', T.bbbOrderWorking, {
    order_id: 'ord-2',
    ticker: 'BBB',
    side: 'short',
    quantity: 10,
    order_type: 'market',
  });
  b.add('ORDER_REJECTED', 'order', 'ord-2', T.bbbOrderWorking, { order_id: 'ord-2', reject_reason: 'halted' });
  b.add('ORDER_FILLED', 'order', 'ord-1', T.bbbClosed, { order_id: 'ord-1', filled_quantity: 100, filled_price: 4 });
  b.pos('POSITION_CLOSED', 'pos-BBB', T.bbbClosed, {
    ticker: 'BBB',
    side: 'short',
    exit_reason: 'take_profit',
    exit_price: 4,
    commission: 1,
    realized_pnl: 98,
    hold_duration_seconds: 180,
  });

  // --- day 2: CCC flips. Long 100 @ 10; a sell of 150 @ 11 closes it (fee 0.6 of the fill's 1.0): 100 - 0.6 = 99.4
  b.pos('POSITION_OPENED', 'pos-CCC-1', min(DAY2, 0), { ticker: 'CCC', side: 'long', quantity: 100, entry_price: 10 });
  b.pos('POSITION_CLOSED', 'pos-CCC-1', min(DAY2, 10), {
    ticker: 'CCC',
    side: 'long',
    exit_reason: 'reversal',
    exit_price: 11,
    commission: 0.6,
  });
  // ... and opens short 50 @ 11 (fee 0.4); cover @ 10: 50 - 0.4 = 49.6
  b.pos('POSITION_OPENED', 'pos-CCC-2', min(DAY2, 10), { ticker: 'CCC', side: 'short', quantity: 50, entry_price: 11, commission: 0.4 });
  b.pos('POSITION_CLOSED', 'pos-CCC-2', min(DAY2, 20), { ticker: 'CCC', side: 'short', exit_reason: 'take_profit', exit_price: 10 });

  // --- DDD still open at the cut-off: 10 @ 100; sell 4 @ 110 -> +40; mark 105 -> unrealized (105-100)*6 = 30
  b.pos('POSITION_OPENED', 'pos-DDD', min(DAY2, 30), { ticker: 'DDD', side: 'long', quantity: 10, entry_price: 100 });
  b.pos('POSITION_REDUCED', 'pos-DDD', min(DAY2, 31), { quantity: 4, price: 110 });
  b.pos('POSITION_PRICE_UPDATED', 'pos-DDD', T.dddMarked, { new_price: 105, new_unrealized_pnl: 30 });
  return b.events;
}
