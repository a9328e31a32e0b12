/**
 * The `order` aggregate: a pure fold over its events, driven by the transition table.
 * Keeps every key the seed's `rebuild_order` produces (same names, same values for a
 * seed-written file), plus partial fills, leaves, average price, commission and anomalies.
 */
import type { LeanEvent, Payload, ReducerDefinition } from '../../src-core';
import { DEFAULT_HISTORY_WINDOW, EPSILON, get, num, pushBounded, str, type Anomaly, withAnomaly } from '../shared/reduce-helpers';
import { eventTypesOf } from '../shared/catalogue';
import { ORDER_AGGREGATE, ORDER_EVENTS, type OrderEventType } from './events';
import { isTerminalOrderStatus, nextOrderStatus, type OrderStatus } from './order-state-machine';

/** 2: `fills`, `trade_ids`, `status_history` and `anomalies` are windows. */
export const ORDER_REDUCER_VERSION = 2;

/** Entries kept in an order's `fills`, `trade_ids` (what duplicates are detected against) and `status_history`; the log keeps all. */
export interface OrderWindows {
  history: number;
}

/** The windows used when `pluginOptions.order.historyWindow` is not set: 200 entries. */
export const DEFAULT_ORDER_WINDOWS: OrderWindows = { history: DEFAULT_HISTORY_WINDOW };

/**
 * An order as its events leave it: the seed's `rebuild_order` keys (same names and values), then ours.
 * Times are Unix ms.
 */
export interface OrderState {
  // --- the seed's keys
  order_id: string;
  status: OrderStatus;
  /** Every fill event's payload, in order, the last `historyWindow` (the seed keeps ORDER_FILLED's only; a seed file has no partials). */
  fills: Payload[];
  /** One entry per event, as the seed writes it: the event type and its time. */
  status_history: Array<{ status: string; timestamp: number }>;
  ticker: string | null;
  side: string | null;
  quantity: number | null;
  order_type: string | null;
  limit_price: unknown;
  submitted_at: number | null;
  /** Average price over all fills (a single fill: its price). */
  filled_price: number | null;
  /** Cumulative filled quantity. */
  filled_quantity: number | null;
  slippage: unknown;
  filled_at: number | null;
  reject_reason: string | null;
  rejected_at: number | null;
  cancelled_at: number | null;
  // --- ours
  signal_id: string | null;
  stop_price: number | null;
  time_in_force: string | null;
  expected_price: number | null;
  broker_order_id: string | null;
  broker_message: string | null;
  accepted_at: number | null;
  cancel_reason: string | null;
  expired_at: number | null;
  cumulative_quantity: number;
  leaves_quantity: number | null;
  avg_fill_price: number | null;
  /** Total commission over all fills. */
  commission: number;
  trade_ids: string[];
  last_fill_at: number | null;
  anomalies: Anomaly[];
}

/** The state before any event: status `unknown`, every field empty. */
export function initialOrderState(orderId: string): OrderState {
  return {
    order_id: orderId,
    status: 'unknown',
    fills: [],
    status_history: [],
    ticker: null,
    side: null,
    quantity: null,
    order_type: null,
    limit_price: null,
    submitted_at: null,
    filled_price: null,
    filled_quantity: null,
    slippage: null,
    filled_at: null,
    reject_reason: null,
    rejected_at: null,
    cancelled_at: null,
    signal_id: null,
    stop_price: null,
    time_in_force: null,
    expected_price: null,
    broker_order_id: null,
    broker_message: null,
    accepted_at: null,
    cancel_reason: null,
    expired_at: null,
    cumulative_quantity: 0,
    leaves_quantity: null,
    avg_fill_price: null,
    commission: 0,
    trade_ids: [],
    last_fill_at: null,
    anomalies: [],
  };
}

/** The `order` aggregate's event types, from the catalogue. */
const ORDER_EVENT_TYPES: ReadonlySet<string> = new Set(
  eventTypesOf(ORDER_EVENTS).filter((t) => ORDER_EVENTS[t].aggregateType === ORDER_AGGREGATE),
);
const isOrderEvent = (eventType: string): eventType is OrderEventType => ORDER_EVENT_TYPES.has(eventType);

/**
 * Applies one event. Pure: returns a new state. An event the transition table does not allow,
 * an invalid fill or a repeated `trade_id` only adds to `anomalies` (and `status_history`);
 * an overfill is applied and recorded there too.
 */
export function reduceOrder(previous: OrderState, event: LeanEvent, w: OrderWindows = DEFAULT_ORDER_WINDOWS): OrderState {
  // The seed records every event in the history, whatever it is.
  const state: OrderState = {
    ...previous,
    status_history: pushBounded(previous.status_history, { status: event.event_type, timestamp: event.created_at }, w.history),
  };
  const type = event.event_type;
  if (!isOrderEvent(type)) return state;

  const next = nextOrderStatus(state.status, type);
  if (next === null) {
    return withAnomaly(state, event, 'impossible_transition', { from: state.status });
  }
  const p = event.payload;
  switch (type) {
    case 'ORDER_SUBMITTED': {
      const quantity = num(p.quantity);
      return {
        ...state,
        status: next,
        ticker: str(p.ticker),
        side: str(p.side),
        quantity,
        order_type: str(p.order_type),
        limit_price: get(p, 'limit_price', null),
        submitted_at: event.created_at,
        signal_id: str(p.signal_id),
        stop_price: num(p.stop_price),
        time_in_force: str(p.time_in_force) ?? 'day',
        expected_price: num(p.expected_price),
        leaves_quantity: quantity,
      };
    }
    case 'ORDER_ACCEPTED':
      return {
        ...state,
        status: next,
        broker_order_id: str(p.broker_order_id) ?? state.broker_order_id,
        accepted_at: event.created_at,
      };
    case 'ORDER_PARTIALLY_FILLED':
    case 'ORDER_FILLED':
      return applyFill(state, event, next, w);
    case 'ORDER_REJECTED':
      return {
        ...state,
        status: next,
        reject_reason: str(p.reject_reason),
        broker_message: str(p.broker_message),
        rejected_at: event.created_at,
        leaves_quantity: 0,
      };
    case 'ORDER_CANCELLED':
      return { ...state, status: next, cancel_reason: str(p.reason), cancelled_at: event.created_at, leaves_quantity: 0 };
    case 'ORDER_EXPIRED':
      return { ...state, status: next, expired_at: event.created_at, leaves_quantity: 0 };
  }
}

/** This fill's own quantity and price. ORDER_FILLED carries the order's totals; see events.ts. */
function fillOf(state: OrderState, event: LeanEvent): { qty: number | null; price: number | null } {
  const p = event.payload;
  const qty = num(p.filled_quantity);
  const price = num(p.filled_price);
  if (event.event_type === 'ORDER_PARTIALLY_FILLED') return { qty, price };
  const lastQty = num(p.last_fill_quantity);
  if (lastQty !== null) return { qty: lastQty, price: num(p.last_fill_price) ?? price };
  const prev = state.cumulative_quantity;
  if (prev <= EPSILON || qty === null || price === null) return { qty, price };
  if (qty > prev + EPSILON) {
    // Totals after earlier partials: this fill is the difference.
    const own = qty - prev;
    return { qty: own, price: (price * qty - (state.avg_fill_price ?? 0) * prev) / own };
  }
  // A writer that reports only this fill's quantity.
  return { qty, price };
}

function applyFill(state: OrderState, event: LeanEvent, next: OrderStatus, w: OrderWindows): OrderState {
  const p = event.payload;
  const { qty, price } = fillOf(state, event);
  if (qty === null || price === null || qty <= 0) {
    return withAnomaly(state, event, 'invalid_fill', { filled_quantity: p.filled_quantity, filled_price: p.filled_price });
  }
  const tradeId = str(p.trade_id);
  if (tradeId !== null && state.trade_ids.includes(tradeId)) {
    return withAnomaly(state, event, 'duplicate_fill', { trade_id: tradeId });
  }
  const prev = state.cumulative_quantity;
  const cumulative = prev + qty;
  let avg = prev <= EPSILON ? price : ((state.avg_fill_price ?? 0) * prev + price * qty) / cumulative;
  // The writer's own average, when it states one for the same total, avoids float drift.
  const statedTotal = event.event_type === 'ORDER_FILLED' ? num(p.filled_quantity) : num(p.cumulative_quantity);
  const statedAvg = event.event_type === 'ORDER_FILLED' ? num(p.filled_price) : num(p.avg_fill_price);
  if (statedTotal !== null && statedAvg !== null && Math.abs(statedTotal - cumulative) <= EPSILON) avg = statedAvg;

  let result: OrderState = {
    ...state,
    status: next,
    fills: pushBounded(state.fills, p, w.history),
    filled_price: avg,
    filled_quantity: cumulative,
    cumulative_quantity: cumulative,
    avg_fill_price: avg,
    leaves_quantity: state.quantity === null ? null : Math.max(0, state.quantity - cumulative),
    commission: state.commission + (num(p.commission) ?? 0),
    trade_ids: tradeId === null ? state.trade_ids : pushBounded(state.trade_ids, tradeId, w.history),
    last_fill_at: event.created_at,
  };
  if (event.event_type === 'ORDER_FILLED') {
    // The seed's reading: slippage defaults to 0 when the key is absent.
    result = { ...result, slippage: get(p, 'slippage', 0), filled_at: event.created_at, leaves_quantity: 0 };
  } else if (num(p.slippage) !== null) {
    result = { ...result, slippage: p.slippage };
  }
  if (state.quantity !== null && cumulative > state.quantity + EPSILON) {
    result = withAnomaly(result, event, 'overfill', { quantity: state.quantity, cumulative_quantity: cumulative });
  }
  return result;
}

/** The order fold with the given windows (`pluginOptions.order.historyWindow`). */
export function createOrderReducer(w: OrderWindows = DEFAULT_ORDER_WINDOWS): ReducerDefinition<OrderState> {
  return {
    aggregateType: ORDER_AGGREGATE,
    version: ORDER_REDUCER_VERSION,
    // The fold takes LeanEvents (no metadata, no position): rebuilds read neither column.
    leanEvents: true,
    initialState: initialOrderState,
    reduce: (state, event) => reduceOrder(state, event, w),
    isTerminal: (state) => isTerminalOrderStatus(state.status),
  };
}

/** The `order` fold with the default windows. */
export const orderReducer: ReducerDefinition<OrderState> = createOrderReducer();

/** The `order` fold's definition. */
export type OrderReducer = ReducerDefinition<OrderState>;
