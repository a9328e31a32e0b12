/**
 * Signal and order events: the seed's names and keys (an on-disk contract), plus our
 * additions, each with a documented default so a seed-written event still validates.
 * Objects are loose: unknown keys are kept, never stripped.
 */
import { z } from 'zod';
import type { CatalogueOf, EventDefinitions, EventSchemaDefinition } from '../../src-core';
import { labelsOf, schemaTable, type EventTypeOf } from '../shared/catalogue';

/** Aggregate type of a signal (one SIGNAL_GENERATED each), keyed by `signal_id`. */
export const SIGNAL_AGGREGATE = 'signal';
/** Aggregate type of an order, keyed by `order_id`. */
export const ORDER_AGGREGATE = 'order';
const VERSION = '1.0';

/**
 * The seed writes times as ISO strings (`rejected_at`) and broker timestamps as numbers.
 * Numbers first: a union tries its options in order, and a bot writes Unix ms far more often.
 */
const time = z.union([z.number(), z.string()]).nullable();
const money = z.number();

/** What a signal says to do. */
export const signalAction = z.enum(['buy', 'sell', 'short', 'cover']);
/** An order's side. The seed writes `signal.action` as the order side, so any action is accepted. */
export const orderSide = z.enum(['buy', 'sell', 'short', 'cover']);
/** An order's type. */
export const orderType = z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']);
/** How long an order stays working (broker time-in-force codes). */
export const timeInForce = z.enum(['day', 'gtc', 'ioc', 'fok', 'opg', 'cls']);

/** Payload schema of SIGNAL_GENERATED. */
export const signalGenerated = z.looseObject({
  signal_id: z.string().min(1),
  ticker: z.string().min(1),
  action: signalAction,
  /** 0..1 */
  confidence: z.number().nullable(),
  reasoning: z.string().nullable().default(null),
  timeframe: z.string().nullable().default(null),
  source_alert_id: z.string().nullable().default(null),
  /** (ours) What the signal was decided on: score, threshold, indicators. Default {}. */
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** (ours) Suggested size and prices. Default null. */
  quantity: z.number().nullable().default(null),
  entry_price: money.nullable().default(null),
  stop_loss_price: money.nullable().default(null),
  take_profit_price: money.nullable().default(null),
});

/** Payload schema of ORDER_SUBMITTED. */
export const orderSubmitted = z.looseObject({
  order_id: z.string().min(1),
  signal_id: z.string().nullable().default(null),
  ticker: z.string().min(1),
  side: orderSide,
  quantity: z.number().positive(),
  order_type: orderType,
  limit_price: money.nullable().default(null),
  stop_price: money.nullable().default(null),
  extended_hours: z.boolean().nullable().default(false),
  /** (ours) Default 'day'. */
  time_in_force: timeInForce.default('day'),
  /** (ours) The price the decision was made at; fills' slippage is measured from it. Default null. */
  expected_price: money.nullable().default(null),
});

/** Payload schema of ORDER_ACCEPTED. */
export const orderAccepted = z.looseObject({
  order_id: z.string().min(1),
  broker_order_id: z.string().nullable().default(null),
  accepted_at: time.default(null),
});

/** Payload schema of ORDER_PARTIALLY_FILLED: one fill that leaves part of the order open. */
export const orderPartiallyFilled = z.looseObject({
  order_id: z.string().min(1),
  /** This fill's quantity and price. */
  filled_quantity: z.number().positive(),
  filled_price: money,
  /** (ours) Total filled after this fill. Default null: the reducer sums. */
  cumulative_quantity: z.number().nullable().default(null),
  /** (ours) Left to fill after this fill. Default null: the reducer computes. */
  leaves_quantity: z.number().nullable().default(null),
  /** (ours) Average price over all fills so far. Default null: the reducer computes. */
  avg_fill_price: money.nullable().default(null),
  /** (ours) This fill's commission. Default 0. */
  commission: money.default(0),
  /** (ours) Broker execution id. Default null. */
  trade_id: z.string().nullable().default(null),
  slippage: money.nullable().default(null),
  fill_time: time.default(null),
  liquidity: z.string().nullable().default(null),
});

/**
 * The order's final fill. `filled_quantity` / `filled_price` are the ORDER's totals
 * (cumulative quantity and average price) so the seed's `rebuild_order` reads the right
 * values after partial fills; `last_fill_quantity` / `last_fill_price` are this fill's.
 * A seed-written event (no partials before it) is its only fill: both pairs coincide.
 */
export const orderFilled = z.looseObject({
  order_id: z.string().min(1),
  filled_quantity: z.number().positive(),
  filled_price: money,
  /** Seed: filled_price - expected price (signed). */
  slippage: money.nullable().default(null),
  fill_time: time.default(null),
  liquidity: z.string().nullable().default(null),
  /** (ours) This fill's commission. Default 0. */
  commission: money.default(0),
  /** (ours) This fill's quantity / price. Default null: derived from the totals. */
  last_fill_quantity: z.number().nullable().default(null),
  last_fill_price: money.nullable().default(null),
  /** (ours) Equals filled_quantity. Default null. */
  cumulative_quantity: z.number().nullable().default(null),
  /** (ours) Broker execution id. Default null. */
  trade_id: z.string().nullable().default(null),
});

/** Payload schema of ORDER_REJECTED. */
export const orderRejected = z.looseObject({
  order_id: z.string().min(1),
  reject_reason: z.string(),
  broker_message: z.string().nullable().default(null),
  rejected_at: time.default(null),
});

/** Payload schema of ORDER_CANCELLED. */
export const orderCancelled = z.looseObject({
  order_id: z.string().min(1),
  reason: z.string().nullable().default(null),
  cancelled_at: time.default(null),
});

/** Payload schema of ORDER_EXPIRED. */
export const orderExpired = z.looseObject({
  order_id: z.string().min(1),
  expired_at: time.default(null),
});

/** SIGNAL_GENERATED's payload as stored and read (defaults filled). */
export type SignalGenerated = z.output<typeof signalGenerated>;
/** ORDER_SUBMITTED's payload as stored and read (defaults filled). */
export type OrderSubmitted = z.output<typeof orderSubmitted>;
/** ORDER_ACCEPTED's payload as stored and read (defaults filled). */
export type OrderAccepted = z.output<typeof orderAccepted>;
/** ORDER_PARTIALLY_FILLED's payload as stored and read (defaults filled). */
export type OrderPartiallyFilled = z.output<typeof orderPartiallyFilled>;
/** ORDER_FILLED's payload as stored and read (defaults filled). */
export type OrderFilled = z.output<typeof orderFilled>;
/** ORDER_REJECTED's payload as stored and read (defaults filled). */
export type OrderRejected = z.output<typeof orderRejected>;
/** ORDER_CANCELLED's payload as stored and read (defaults filled). */
export type OrderCancelled = z.output<typeof orderCancelled>;
/** ORDER_EXPIRED's payload as stored and read (defaults filled). */
export type OrderExpired = z.output<typeof orderExpired>;

/**
 * The catalogue: every event type of the plugin, declared once. The schema table, the
 * union type, the reducers' switches, the handlers' decisions and the views' labels all
 * derive from it.
 */
export const ORDER_EVENTS = {
  SIGNAL_GENERATED: {
    aggregateType: SIGNAL_AGGREGATE,
    payload: signalGenerated,
    label: 'Signal generated',
    description: 'A strategy produced a trading signal, with what it was decided on.',
  },
  ORDER_SUBMITTED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderSubmitted,
    label: 'Order submitted',
    description: 'An order was sent to the broker (intent, before the broker answers).',
  },
  ORDER_ACCEPTED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderAccepted,
    label: 'Order accepted',
    description: 'The broker accepted the order.',
  },
  ORDER_PARTIALLY_FILLED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderPartiallyFilled,
    label: 'Order partially filled',
    description: "Part of the order filled; quantity and price are this fill's.",
  },
  ORDER_FILLED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderFilled,
    label: 'Order filled',
    description: "The order filled completely; quantity and price are the order's totals.",
  },
  ORDER_REJECTED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderRejected,
    label: 'Order rejected',
    description: 'The broker (or a risk check) rejected the order.',
  },
  ORDER_CANCELLED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderCancelled,
    label: 'Order cancelled',
    description: 'The order (or its unfilled rest) was cancelled.',
  },
  ORDER_EXPIRED: {
    aggregateType: ORDER_AGGREGATE,
    payload: orderExpired,
    label: 'Order expired',
    description: 'The order expired unfilled (or partly filled).',
  },
} as const satisfies EventDefinitions;

/** Every event type of the plugin. */
export type OrderPluginEventType = keyof typeof ORDER_EVENTS;
/** The `order` aggregate's event types (the transition table's columns). */
export type OrderEventType = EventTypeOf<typeof ORDER_EVENTS, typeof ORDER_AGGREGATE>;
/** What emit accepts for each event type (see TypedEmitter). */
export type OrderCatalogue = CatalogueOf<typeof ORDER_EVENTS>;

/** The schema definitions `define` registers, one per event type of {@link ORDER_EVENTS}. */
export const orderEventSchemas: readonly EventSchemaDefinition[] = schemaTable(ORDER_EVENTS, VERSION);
/** Event type -> display label. */
export const ORDER_EVENT_LABELS = labelsOf(ORDER_EVENTS);
