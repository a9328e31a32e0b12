/**
 * What the order plugin emits for a hooked call: pure functions of the call's input, the
 * order's live state and the time, unit-tested without SQLite. A missing key throws the
 * ValidationError the bot sees; a fill already applied (same trade_id) decides nothing.
 */
import type { ChainRef } from '../../src-core';
import { isoTime, lower, requireKeys, type Input } from '../shared/input';
import { keysOf, ref, type Decision } from '../shared/plugin-runtime';
import { EPSILON, num, str } from '../shared/reduce-helpers';
import { ORDER_AGGREGATE, orderSubmitted, SIGNAL_AGGREGATE, type OrderEventType, type OrderPluginEventType } from './events';
import type { OrderState } from './order-reducer';

export type OrderDecision = Decision<OrderPluginEventType>;

const SUBMIT_KEYS = keysOf(orderSubmitted);
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** An event on the order's own chain (plus `links`). */
function onOrder(eventType: OrderEventType, orderId: string, payload: Input, links: readonly (ChainRef | null)[] = []): OrderDecision {
  return { eventType, aggregateId: orderId, payload, follow: [ref(ORDER_AGGREGATE, orderId), ...links] };
}

/** SIGNAL_GENERATED: continues the signal's chain, else the alert's it came from. */
export function decideSignal(input: Input): OrderDecision {
  requireKeys('SIGNAL_GENERATED', input, ['signal_id', 'ticker', 'action']);
  const signalId = String(input.signal_id);
  return {
    eventType: 'SIGNAL_GENERATED',
    aggregateId: signalId,
    payload: { ...input, action: lower(input.action), confidence: num(input.confidence) },
    follow: [ref(SIGNAL_AGGREGATE, signalId), ref('alert', str(input.source_alert_id))],
  };
}

/** ORDER_SUBMITTED from the submit input: enum-like strings lower-cased, 'market' by default. */
export function decideSubmitted(input: Input): OrderDecision {
  const payload: Input = {};
  for (const key of SUBMIT_KEYS) if (input[key] !== undefined) payload[key] = input[key];
  payload.side = lower(input.side);
  payload.order_type = lower(input.order_type) ?? 'market';
  if (input.time_in_force !== undefined) payload.time_in_force = lower(input.time_in_force);
  return onOrder('ORDER_SUBMITTED', String(input.order_id), payload, [ref(SIGNAL_AGGREGATE, str(input.signal_id))]);
}

export function decideRejected(orderId: string, reason: unknown, message: unknown, at: unknown, now: number): OrderDecision {
  return onOrder('ORDER_REJECTED', orderId, {
    order_id: orderId,
    reject_reason: typeof reason === 'string' && reason ? reason : 'rejected',
    broker_message: typeof message === 'string' ? message : null,
    rejected_at: isoTime(at, now),
  });
}

/** ORDER_ACCEPTED from a submit call's result (`status: 'accepted'`). */
function decideAcceptedOnSubmit(orderId: string, brokerOrderId: unknown, now: number): OrderDecision {
  return onOrder('ORDER_ACCEPTED', orderId, {
    order_id: orderId,
    broker_order_id: str(brokerOrderId),
    accepted_at: isoTime(undefined, now),
  });
}

/** What a submit call's result adds after ORDER_SUBMITTED: a rejection, an acceptance, or nothing. */
export function decideSubmitOutcome(orderId: string, input: Input, now: number): OrderDecision | null {
  const status = lower(input.status);
  if (status === 'rejected' || (status === undefined && typeof input.reject_reason === 'string')) {
    return decideRejected(orderId, input.reject_reason, input.broker_message, undefined, now);
  }
  if (status === 'accepted') return decideAcceptedOnSubmit(orderId, input.broker_order_id, now);
  return null;
}

/**
 * A fill: partial or final from what the order has left (an explicit `leaves_quantity`
 * wins), with the cumulative quantity, the average price and the slippage (against the
 * expected price, else the limit price). Null when its trade_id was applied before.
 */
export function decideFill(input: Input, live: OrderState | undefined, now: number): OrderDecision | null {
  const orderId = String(input.order_id);
  const tradeId = str(input.trade_id);
  if (tradeId !== null && live?.trade_ids.includes(tradeId)) return null; // seen: applied once
  const qty = num(input.filled_quantity);
  const price = num(input.filled_price);
  requireKeys('ORDER_FILLED', { filled_quantity: qty, filled_price: price }, ['filled_quantity', 'filled_price']);
  const prev = live?.cumulative_quantity ?? 0;
  const cumulative = prev + qty!;
  const avg = prev > EPSILON ? ((live?.avg_fill_price ?? price!) * prev + price! * qty!) / cumulative : price!;
  const leaves = num(input.leaves_quantity) ?? (live?.quantity != null ? Math.max(0, live.quantity - cumulative) : 0);
  const expected = num(input.expected_price) ?? live?.expected_price ?? num(live?.limit_price);
  const common = {
    order_id: orderId,
    commission: num(input.commission) ?? 0,
    trade_id: tradeId,
    fill_time: isoTime(input.fill_time, now),
    liquidity: str(input.liquidity),
  };
  if (leaves > EPSILON) {
    return onOrder('ORDER_PARTIALLY_FILLED', orderId, {
      ...common,
      filled_quantity: qty,
      filled_price: price,
      cumulative_quantity: cumulative,
      leaves_quantity: leaves,
      avg_fill_price: avg,
      slippage: num(input.slippage) ?? (expected !== null ? round4(price! - expected) : null),
    });
  }
  // Totals in the seed's keys (its rebuild_order reads them), this fill in ours.
  return onOrder('ORDER_FILLED', orderId, {
    ...common,
    filled_quantity: cumulative,
    filled_price: avg,
    last_fill_quantity: qty,
    last_fill_price: price,
    cumulative_quantity: cumulative,
    slippage: num(input.slippage) ?? (expected !== null ? round4(avg - expected) : null),
  });
}

/** ORDER_ACCEPTED, ORDER_CANCELLED, ORDER_EXPIRED from their own hooks: the input, its time defaulted to now. */
export function decideAccepted(input: Input, now: number): OrderDecision {
  return onOrder('ORDER_ACCEPTED', String(input.order_id), { ...input, accepted_at: isoTime(input.accepted_at, now) });
}

export function decideCancelled(input: Input, now: number): OrderDecision {
  return onOrder('ORDER_CANCELLED', String(input.order_id), { ...input, cancelled_at: isoTime(input.cancelled_at, now) });
}

export function decideExpired(input: Input, now: number): OrderDecision {
  return onOrder('ORDER_EXPIRED', String(input.order_id), { ...input, expired_at: isoTime(input.expired_at, now) });
}
