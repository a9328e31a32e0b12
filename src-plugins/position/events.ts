/**
 * Position events: the seed's seven (names and keys are an on-disk contract) plus two of
 * ours for fills that change an open position: POSITION_INCREASED and POSITION_REDUCED.
 * Our additions to seed events default so that a seed-written event still validates.
 *
 * Quantity-changing events carry an optional `trade_id` (the broker's execution id): the
 * reducer applies a trade id once per position, so a fill seen twice counts once.
 *
 * A fill that flips a position (long 100, sell 150) is written as POSITION_CLOSED on the old
 * position (exit_reason 'reversal') and POSITION_OPENED on a new one, with the fill's
 * commission split between them by quantity.
 */
import { z } from 'zod';
import type { CatalogueOf, EventDefinitions, EventSchemaDefinition } from '../../src-core';
import { labelsOf, schemaTable } from '../shared/catalogue';

/** Aggregate type of a position, keyed by `position_id`. */
export const POSITION_AGGREGATE = 'position';
const VERSION = '1.0';

/** A position's direction. */
export const positionSide = z.enum(['long', 'short']);
/** Why a position closed. */
export const exitReason = z.enum([
  'stop_loss',
  'take_profit',
  'manual',
  'timeout',
  'risk',
  /** (ours) the position was closed by a fill that opened the opposite side. */
  'reversal',
  'signal',
  'eod',
]);

const price = z.number();
const qty = z.number().positive();

/** Payload schema of POSITION_OPENED. */
export const positionOpened = z.looseObject({
  position_id: z.string().min(1),
  ticker: z.string().min(1),
  side: positionSide,
  quantity: qty,
  entry_price: price,
  signal_id: z.string().nullable().default(null),
  /** Bold in the catalogue (the seed's rebuilder reads them); null when none is set. */
  stop_loss_price: price.nullable().default(null),
  take_profit_price: price.nullable().default(null),
  /** Seed: quantity * entry_price. Default null (the reducer computes it). */
  cost_basis: z.number().nullable().default(null),
  /** (ours) Entry commission. Default 0. */
  commission: z.number().default(0),
  /** (ours) The order and execution that opened it. Default null. */
  order_id: z.string().nullable().default(null),
  trade_id: z.string().nullable().default(null),
});

/** Payload schema of POSITION_INCREASED (ours): a fill in the position's direction. */
export const positionIncreased = z.looseObject({
  position_id: z.string().min(1),
  /** Quantity and price of the fill that added to the position. */
  quantity: qty,
  price,
  commission: z.number().default(0),
  trade_id: z.string().nullable().default(null),
  order_id: z.string().nullable().default(null),
  /** Informational: open quantity and weighted average entry after the fill. */
  new_quantity: z.number().nullable().default(null),
  new_entry_price: price.nullable().default(null),
});

/** Payload schema of POSITION_REDUCED (ours): a fill against the position that leaves part of it open. */
export const positionReduced = z.looseObject({
  position_id: z.string().min(1),
  /** Quantity and price of the fill that took from the position (never the whole of it). */
  quantity: qty,
  price,
  commission: z.number().default(0),
  trade_id: z.string().nullable().default(null),
  order_id: z.string().nullable().default(null),
  /** Informational: P&L realized by this reduction, net of its commissions; open quantity after it. */
  realized_pnl: z.number().nullable().default(null),
  new_quantity: z.number().nullable().default(null),
});

/** Payload schema of POSITION_PRICE_UPDATED. */
export const positionPriceUpdated = z.looseObject({
  position_id: z.string().min(1),
  old_price: price.nullable().default(null),
  new_price: price,
  old_unrealized_pnl: z.number().nullable().default(null),
  new_unrealized_pnl: z.number(),
  price_source: z.string().nullable().default(null),
});

/** Payload schema of POSITION_STOP_LOSS_MODIFIED. */
export const stopLossModified = z.looseObject({
  position_id: z.string().min(1),
  old_stop_loss_price: price.nullable().default(null),
  new_stop_loss_price: price.nullable(),
  reason: z.string().nullable().default(null),
});

/** Payload schema of POSITION_TAKE_PROFIT_MODIFIED. */
export const takeProfitModified = z.looseObject({
  position_id: z.string().min(1),
  old_take_profit_price: price.nullable().default(null),
  new_take_profit_price: price.nullable(),
  reason: z.string().nullable().default(null),
});

/** Payload schema of STOP_LOSS_TRIGGERED and TAKE_PROFIT_TRIGGERED. */
export const triggered = z.looseObject({
  position_id: z.string().min(1),
  trigger_price: price.nullable(),
  current_price: price,
});

/** Payload schema of POSITION_CLOSED; `realized_pnl` is the whole position's, net of commissions. */
export const positionClosed = z.looseObject({
  position_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  side: positionSide.nullable().default(null),
  exit_reason: exitReason,
  exit_price: price,
  entry_price: price.nullable().default(null),
  /** The quantity closed. */
  quantity: z.number().nullable().default(null),
  /** The position's total realized P&L (all reductions and this close), net of commissions. */
  realized_pnl: z.number(),
  hold_duration_seconds: z.number(),
  /** realized_pnl / total entry cost * 100. */
  return_pct: z.number().nullable().default(null),
  /** (ours) Exit commission. Default 0. */
  commission: z.number().default(0),
  trade_id: z.string().nullable().default(null),
  order_id: z.string().nullable().default(null),
});

/** POSITION_OPENED's payload as stored and read (defaults filled). */
export type PositionOpened = z.output<typeof positionOpened>;
/** POSITION_INCREASED's payload as stored and read (defaults filled). */
export type PositionIncreased = z.output<typeof positionIncreased>;
/** POSITION_REDUCED's payload as stored and read (defaults filled). */
export type PositionReduced = z.output<typeof positionReduced>;
/** POSITION_PRICE_UPDATED's payload as stored and read (defaults filled). */
export type PositionPriceUpdated = z.output<typeof positionPriceUpdated>;
/** POSITION_STOP_LOSS_MODIFIED's payload as stored and read (defaults filled). */
export type StopLossModified = z.output<typeof stopLossModified>;
/** POSITION_TAKE_PROFIT_MODIFIED's payload as stored and read (defaults filled). */
export type TakeProfitModified = z.output<typeof takeProfitModified>;
/** STOP_LOSS_TRIGGERED's or TAKE_PROFIT_TRIGGERED's payload as stored and read. */
export type Triggered = z.output<typeof triggered>;
/** POSITION_CLOSED's payload as stored and read (defaults filled). */
export type PositionClosed = z.output<typeof positionClosed>;

/**
 * The catalogue: every event type of the plugin, declared once. The schema table, the
 * union type, the reducer's switch, the handlers' decisions and the views' labels derive from it.
 */
export const POSITION_EVENTS = {
  POSITION_OPENED: {
    aggregateType: POSITION_AGGREGATE,
    payload: positionOpened,
    label: 'Position opened',
    description: 'A position was opened (by a fill or explicitly).',
  },
  POSITION_INCREASED: {
    aggregateType: POSITION_AGGREGATE,
    payload: positionIncreased,
    label: 'Position increased',
    description: '(ours) A fill added to an open position; entry price is re-averaged.',
  },
  POSITION_REDUCED: {
    aggregateType: POSITION_AGGREGATE,
    payload: positionReduced,
    label: 'Position reduced',
    description: '(ours) A fill took part of an open position; P&L realized on that part only.',
  },
  POSITION_PRICE_UPDATED: {
    aggregateType: POSITION_AGGREGATE,
    payload: positionPriceUpdated,
    label: 'Price updated',
    description: 'The market price moved past the throttle threshold.',
  },
  POSITION_STOP_LOSS_MODIFIED: {
    aggregateType: POSITION_AGGREGATE,
    payload: stopLossModified,
    label: 'Stop-loss modified',
    description: 'The stop-loss price changed.',
  },
  POSITION_TAKE_PROFIT_MODIFIED: {
    aggregateType: POSITION_AGGREGATE,
    payload: takeProfitModified,
    label: 'Take-profit modified',
    description: 'The take-profit price changed.',
  },
  STOP_LOSS_TRIGGERED: {
    aggregateType: POSITION_AGGREGATE,
    payload: triggered,
    label: 'Stop-loss triggered',
    description: 'The price crossed the stop-loss.',
  },
  TAKE_PROFIT_TRIGGERED: {
    aggregateType: POSITION_AGGREGATE,
    payload: triggered,
    label: 'Take-profit triggered',
    description: 'The price crossed the take-profit.',
  },
  POSITION_CLOSED: {
    aggregateType: POSITION_AGGREGATE,
    payload: positionClosed,
    label: 'Position closed',
    description: 'The position was closed; realized P&L is its total.',
  },
} as const satisfies EventDefinitions;

/** Every event type of the plugin. */
export type PositionEventType = keyof typeof POSITION_EVENTS;
/** What emit accepts for each event type (see TypedEmitter). */
export type PositionCatalogue = CatalogueOf<typeof POSITION_EVENTS>;

/** The schema definitions `define` registers, one per event type of {@link POSITION_EVENTS}. */
export const positionEventSchemas: readonly EventSchemaDefinition[] = schemaTable(POSITION_EVENTS, VERSION);
/** Event type -> display label. */
export const POSITION_EVENT_LABELS = labelsOf(POSITION_EVENTS);
