import type { LiveOrder } from '../broker/order-executor';
import type { Fill } from '../broker/types';

/** Slippage as the catalogue records it: signed, against the expected price, to 1/100 of a cent. */
const slippage = (price: number, expected: number): number => Math.round((price - expected) * 1e4) / 1e4;

/**
 * A fill as the order plugin records it: this fill's quantity and price on a partial fill;
 * the order's totals on the final one (ORDER_FILLED), with this fill's own figures beside.
 */
export function fillPayloadOf(order: LiveOrder, index: number): Record<string, unknown> {
  const fill = order.fills[index]!;
  const fills = order.fills.slice(0, index + 1);
  const cumulative = fills.reduce((n, f) => n + f.filled_quantity, 0);
  const average = averagePrice(fills);
  const common = {
    order_id: order.request.order_id,
    commission: fill.commission,
    trade_id: fill.trade_id,
    fill_time: fill.fill_time,
    liquidity: fill.liquidity,
  };
  if (cumulative < order.request.quantity) {
    return {
      ...common,
      filled_quantity: fill.filled_quantity,
      filled_price: fill.filled_price,
      cumulative_quantity: cumulative,
      leaves_quantity: order.request.quantity - cumulative,
      avg_fill_price: average,
      slippage: slippage(fill.filled_price, fill.expected_price),
    };
  }
  return {
    ...common,
    filled_quantity: cumulative,
    filled_price: average,
    last_fill_quantity: fill.filled_quantity,
    last_fill_price: fill.filled_price,
    cumulative_quantity: cumulative,
    slippage: slippage(average, fill.expected_price),
  };
}

function averagePrice(fills: readonly Fill[]): number {
  let quantity = 0;
  let average = 0;
  for (const f of fills) {
    const total = quantity + f.filled_quantity;
    average = quantity === 0 ? f.filled_price : (average * quantity + f.filled_price * f.filled_quantity) / total;
    quantity = total;
  }
  return average;
}

/**
 * The bot's order in the order plugin's state shape (src-plugins/order/order-reducer.ts):
 * the seed's keys (status, fills, status_history, ...) and ours (leaves, average, commission).
 */
export function orderStateOf(order: LiveOrder): Record<string, unknown> {
  const r = order.request;
  const filled = order.fills.length > 0;
  const payloads = order.fills.map((_, i) => fillPayloadOf(order, i));
  const last = payloads[payloads.length - 1];
  const ended = order.status === 'rejected' || order.status === 'cancelled' || order.status === 'expired' || order.status === 'filled';
  return {
    order_id: r.order_id,
    status: order.status,
    fills: payloads,
    status_history: order.history,
    ticker: r.ticker,
    side: r.side,
    quantity: r.quantity,
    order_type: r.order_type,
    limit_price: r.limit_price,
    submitted_at: order.submitted_at,
    filled_price: filled ? order.avg_fill_price : null,
    filled_quantity: filled ? order.filled_quantity : null,
    // The seed reads a final fill's slippage with a default of 0; partial fills carry their own.
    slippage: last === undefined ? null : (last.slippage ?? (order.status === 'filled' ? 0 : null)),
    filled_at: order.filled_at,
    reject_reason: order.reject_reason,
    rejected_at: order.rejected_at,
    cancelled_at: order.cancelled_at,
    signal_id: r.signal_id,
    stop_price: r.stop_price,
    time_in_force: r.time_in_force,
    expected_price: r.expected_price,
    broker_order_id: order.broker_order_id,
    broker_message: order.broker_message,
    accepted_at: order.accepted_at,
    cancel_reason: order.cancel_reason,
    expired_at: order.expired_at,
    cumulative_quantity: order.filled_quantity,
    leaves_quantity: ended ? 0 : r.quantity - order.filled_quantity,
    avg_fill_price: filled ? order.avg_fill_price : null,
    commission: order.commission,
    trade_ids: order.fills.map((f) => f.trade_id),
    last_fill_at: filled ? order.fills[order.fills.length - 1]!.fill_time : null,
    anomalies: [],
  };
}
