/**
 * Portfolio events: the seed's two, with its keys. Written the way a third party writes a
 * plugin: only `catalyst-events` (the package) and zod.
 */
import type { CatalogueOf, EventDefinitions, EventSchemaDefinition } from 'catalyst-events';
import { z } from 'zod';

export const PORTFOLIO_AGGREGATE = 'portfolio';
const VERSION = '1.0';

export const heldPosition = z.looseObject({
  position_id: z.string().nullable().default(null),
  ticker: z.string(),
  side: z.enum(['long', 'short']).nullable().default(null),
  quantity: z.number(),
  market_value: z.number().nullable().default(null),
  unrealized_pnl: z.number().nullable().default(null),
});

export const portfolioSnapshotCreated = z.looseObject({
  cash: z.number(),
  equity: z.number(),
  /** The positions held, or (as some writers record it) just how many. */
  positions: z.union([z.array(heldPosition), z.number().int().min(0)]),
  /** (ours) Sum of the positions' unrealized P&L. Default null. */
  unrealized_pnl: z.number().nullable().default(null),
  /** (ours) Realized P&L since the start of the account. Default null. */
  realized_pnl: z.number().nullable().default(null),
});

export const dailyPnlCalculated = z.looseObject({
  /** The trading day, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  realized_pnl: z.number(),
  unrealized_pnl: z.number(),
  /** (ours) realized + unrealized. Default null. */
  total_pnl: z.number().nullable().default(null),
  /** (ours) Closed trades that day. Default null. */
  trades: z.number().int().nullable().default(null),
});

export type HeldPosition = z.output<typeof heldPosition>;
export type PortfolioSnapshotCreated = z.output<typeof portfolioSnapshotCreated>;
export type DailyPnlCalculated = z.output<typeof dailyPnlCalculated>;

/**
 * The catalogue: every event type of the plugin, declared once. The schema table, the union
 * type, the reducer's switch, the handlers' decisions and the views' labels derive from it.
 */
export const PORTFOLIO_EVENTS = {
  PORTFOLIO_SNAPSHOT_CREATED: {
    aggregateType: PORTFOLIO_AGGREGATE,
    payload: portfolioSnapshotCreated,
    label: 'Portfolio snapshot',
    description: 'Cash, equity and the positions held, at a point in time.',
  },
  DAILY_PNL_CALCULATED: {
    aggregateType: PORTFOLIO_AGGREGATE,
    payload: dailyPnlCalculated,
    label: 'Daily P&L calculated',
    description: "A trading day's realized and unrealized P&L.",
  },
} as const satisfies EventDefinitions;

export type PortfolioEventType = keyof typeof PORTFOLIO_EVENTS;
/** What emit accepts for each event type (see TypedEmitter). */
export type PortfolioCatalogue = CatalogueOf<typeof PORTFOLIO_EVENTS>;

export const portfolioEventSchemas: readonly EventSchemaDefinition[] = Object.entries(PORTFOLIO_EVENTS).map(([eventType, d]) => ({
  eventType,
  aggregateType: d.aggregateType,
  version: VERSION,
  payload: d.payload,
  description: d.description,
}));

/** Event type -> display label. */
export const PORTFOLIO_EVENT_LABELS = Object.fromEntries(Object.entries(PORTFOLIO_EVENTS).map(([type, d]) => [type, d.label])) as {
  readonly [K in PortfolioEventType]: string;
};
