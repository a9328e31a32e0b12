/**
 * Risk events: the seed's eight. A failed check records what it was decided on (value,
 * limit, reason, reason code). All go to one `risk` aggregate per book (account or run).
 */
import { z } from 'zod';
import type { CatalogueOf, EventDefinitions, EventSchemaDefinition } from '../../src-core';
import { labelsOf, schemaTable } from '../shared/catalogue';

/** Aggregate type of a risk book (an account or a run), keyed by book id. */
export const RISK_AGGREGATE = 'risk';
const VERSION = '1.0';

// Numbers first: a union tries its options in order, and a bot writes Unix ms far more often.
const time = z.union([z.number(), z.string()]).nullable();
/** Most checks compare numbers; some compare a flag or a name ('market_closed'). */
const measure = z.union([z.number(), z.string(), z.boolean()]).nullable();

/** Payload schema of RISK_CHECK_PASSED and RISK_CHECK_FAILED. */
export const riskCheck = z.looseObject({
  check: z.string().min(1),
  /** The signal or order id the check was about. */
  subject: z.string().nullable().default(null),
  value: measure.default(null),
  limit: measure.default(null),
  reason: z.string().nullable().default(null),
  /** (ours) Machine-readable reason. Default null. */
  reason_code: z.string().nullable().default(null),
});

/** Payload schema of POSITION_LIMIT_WARNING and POSITION_LIMIT_EXCEEDED: one ticker's exposure and its limit. */
export const positionLimit = z.looseObject({
  ticker: z.string().min(1),
  value: z.number(),
  limit: z.number(),
});

/** Payload schema of DAILY_LOSS_LIMIT_WARNING and DAILY_LOSS_LIMIT_EXCEEDED. */
export const dailyLossLimit = z.looseObject({
  realized_pnl_today: z.number(),
  limit: z.number(),
});

/** Payload schema of CIRCUIT_BREAKER_TRIGGERED. */
export const circuitBreakerTriggered = z.looseObject({
  reason: z.string(),
  /** Until when trading halts; null = until reset. */
  until: time.default(null),
});

/** Payload schema of CIRCUIT_BREAKER_RESET. */
export const circuitBreakerReset = z.looseObject({
  reason: z.string().nullable().default(null),
  until: time.default(null),
});

/** RISK_CHECK_PASSED's or RISK_CHECK_FAILED's payload as stored and read (defaults filled). */
export type RiskCheck = z.output<typeof riskCheck>;
/** POSITION_LIMIT_WARNING's or POSITION_LIMIT_EXCEEDED's payload as stored and read. */
export type PositionLimit = z.output<typeof positionLimit>;
/** DAILY_LOSS_LIMIT_WARNING's or DAILY_LOSS_LIMIT_EXCEEDED's payload as stored and read. */
export type DailyLossLimit = z.output<typeof dailyLossLimit>;
/** CIRCUIT_BREAKER_TRIGGERED's payload as stored and read (defaults filled). */
export type CircuitBreakerTriggered = z.output<typeof circuitBreakerTriggered>;
/** CIRCUIT_BREAKER_RESET's payload as stored and read (defaults filled). */
export type CircuitBreakerReset = z.output<typeof circuitBreakerReset>;

/**
 * The catalogue: every event type of the plugin, declared once. The schema table, the
 * union type, the reducer's switch, the handlers' decisions and the views' labels derive from it.
 */
export const RISK_EVENTS = {
  RISK_CHECK_PASSED: {
    aggregateType: RISK_AGGREGATE,
    payload: riskCheck,
    label: 'Risk check passed',
    description: 'A pre-trade risk check passed, with the value and limit it compared.',
  },
  RISK_CHECK_FAILED: {
    aggregateType: RISK_AGGREGATE,
    payload: riskCheck,
    label: 'Risk check failed',
    description: 'A pre-trade risk check failed, with the value, limit and reason.',
  },
  POSITION_LIMIT_WARNING: {
    aggregateType: RISK_AGGREGATE,
    payload: positionLimit,
    label: 'Position limit warning',
    description: 'Exposure in a ticker is near its limit.',
  },
  POSITION_LIMIT_EXCEEDED: {
    aggregateType: RISK_AGGREGATE,
    payload: positionLimit,
    label: 'Position limit exceeded',
    description: 'Exposure in a ticker is over its limit.',
  },
  DAILY_LOSS_LIMIT_WARNING: {
    aggregateType: RISK_AGGREGATE,
    payload: dailyLossLimit,
    label: 'Daily loss limit warning',
    description: "Today's realized loss is near the daily limit.",
  },
  DAILY_LOSS_LIMIT_EXCEEDED: {
    aggregateType: RISK_AGGREGATE,
    payload: dailyLossLimit,
    label: 'Daily loss limit exceeded',
    description: "Today's realized loss is over the daily limit.",
  },
  CIRCUIT_BREAKER_TRIGGERED: {
    aggregateType: RISK_AGGREGATE,
    payload: circuitBreakerTriggered,
    label: 'Circuit breaker triggered',
    description: 'Trading halted.',
  },
  CIRCUIT_BREAKER_RESET: {
    aggregateType: RISK_AGGREGATE,
    payload: circuitBreakerReset,
    label: 'Circuit breaker reset',
    description: 'Trading resumed.',
  },
} as const satisfies EventDefinitions;

/** Every event type of the plugin. */
export type RiskEventType = keyof typeof RISK_EVENTS;
/** What emit accepts for each event type (see TypedEmitter). */
export type RiskCatalogue = CatalogueOf<typeof RISK_EVENTS>;

/** The schema definitions `define` registers, one per event type of {@link RISK_EVENTS}. */
export const riskEventSchemas: readonly EventSchemaDefinition[] = schemaTable(RISK_EVENTS, VERSION);
/** Event type -> display label. */
export const RISK_EVENT_LABELS = labelsOf(RISK_EVENTS);
