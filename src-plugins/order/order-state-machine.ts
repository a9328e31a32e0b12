/**
 * The order lifecycle as an explicit transition table (NautilusTrader style): a row per
 * status, the events it accepts and the status each leads to. Anything not in the table is
 * an impossible transition: the reducer keeps the state and records an anomaly.
 */
import type { OrderEventType } from './events';

/** Where an order stands. `unknown`: no ORDER_SUBMITTED yet. `filled`, `rejected`, `cancelled` and `expired` are final. */
export type OrderStatus = 'unknown' | 'submitted' | 'accepted' | 'partially_filled' | 'filled' | 'rejected' | 'cancelled' | 'expired';

/** Status -> event type -> next status. A final status has no row entries. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, Readonly<Partial<Record<OrderEventType, OrderStatus>>>>> = {
  unknown: {
    ORDER_SUBMITTED: 'submitted',
  },
  // Market orders are often filled with no separate acknowledgement, so fills may follow submit.
  submitted: {
    ORDER_ACCEPTED: 'accepted',
    ORDER_PARTIALLY_FILLED: 'partially_filled',
    ORDER_FILLED: 'filled',
    ORDER_REJECTED: 'rejected',
    ORDER_CANCELLED: 'cancelled',
    ORDER_EXPIRED: 'expired',
  },
  // Some venues reject after acknowledging (e.g. a late margin check).
  accepted: {
    ORDER_PARTIALLY_FILLED: 'partially_filled',
    ORDER_FILLED: 'filled',
    ORDER_REJECTED: 'rejected',
    ORDER_CANCELLED: 'cancelled',
    ORDER_EXPIRED: 'expired',
  },
  // Cancelling or expiring a partly filled order ends it; what filled stays filled.
  partially_filled: {
    ORDER_PARTIALLY_FILLED: 'partially_filled',
    ORDER_FILLED: 'filled',
    ORDER_CANCELLED: 'cancelled',
    ORDER_EXPIRED: 'expired',
  },
  filled: {},
  rejected: {},
  cancelled: {},
  expired: {},
};

/** A status the table leads nowhere from: the order has ended (what `archive` may move whole). */
export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return Object.keys(ORDER_TRANSITIONS[status]).length === 0;
}

/** The status `event` leads to from `status`, or null when the table has no such transition. */
export function nextOrderStatus(status: OrderStatus, eventType: string): OrderStatus | null {
  const row = ORDER_TRANSITIONS[status];
  return (row as Record<string, OrderStatus | undefined>)[eventType] ?? null;
}
