/**
 * Alert events: the seed's eight, its keys, plus what a decision was made on (reason
 * codes, thresholds) so "why did the bot do that" is answered from the log alone.
 */
import { z } from 'zod';
import type { CatalogueOf, EventDefinitions, EventSchemaDefinition } from '../../src-core';
import { labelsOf, schemaTable } from '../shared/catalogue';

/** Aggregate type of an alert, keyed by `alert_id`. */
export const ALERT_AGGREGATE = 'alert';
const VERSION = '1.0';

// Numbers first: a union tries its options in order, and a bot writes Unix ms far more often.
const time = z.union([z.number(), z.string()]).nullable();

/** What was decided for an alert. */
export const alertDecision = z.enum(['trade', 'skip', 'wait']);

/** Payload schema of ALERT_RECEIVED. */
export const alertReceived = z.looseObject({
  alert_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  headline: z.string().nullable().default(null),
  source: z.string().nullable().default(null),
  received_at: time.default(null),
  /** (ours) Link to the story. Default null. */
  url: z.string().nullable().default(null),
});

/** Payload schema of ALERT_RATE_LIMITED. */
export const alertRateLimited = z.looseObject({
  alert_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  limit: z.number().nullable().default(null),
  window_seconds: z.number().nullable().default(null),
  /** (ours) Why, when the limiter says more than "over the limit". Default null. */
  reason: z.string().nullable().default(null),
});

/** Payload schema of ALERT_CLASSIFIED. */
export const alertClassified = z.looseObject({
  alert_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  catalyst_type: z.string().nullable(),
  score: z.number().nullable(),
  keywords_matched: z.array(z.string()).nullable().default(null),
  confidence: z.number().nullable().default(null),
  sentiment_sources: z.unknown().default(null),
  classification_version: z.string().nullable().default(null),
});

/** Payload schema of ALERT_SCORED. */
export const alertScored = z.looseObject({
  alert_id: z.string().min(1),
  score: z.number(),
  /** The parts the score was summed from. Default {}. */
  components: z.record(z.string(), z.unknown()).nullable().default({}),
});

/** Payload schema of ALERT_DECISION_MADE: the decision and what it was made on. */
export const alertDecisionMade = z.looseObject({
  alert_id: z.string().min(1),
  decision: alertDecision,
  reasoning: z.string().nullable().default(null),
  score: z.number().nullable().default(null),
  min_score_threshold: z.number().nullable().default(null),
  override_flags: z.unknown().default(null),
  signal_id: z.string().nullable().default(null),
  /** (ours) Machine-readable reason, e.g. 'score_below_threshold'. Default null. */
  reason_code: z.string().nullable().default(null),
});

/** Payload schema of ALERT_SENT_DISCORD. */
export const alertSentDiscord = z.looseObject({
  alert_id: z.string().min(1),
  channel: z.string().nullable().default(null),
  message_id: z.string().nullable().default(null),
});

/** Payload schema of ALERT_TRADE_EXECUTED. */
export const alertTradeExecuted = z.looseObject({
  alert_id: z.string().min(1),
  signal_id: z.string().nullable().default(null),
  order_id: z.string().nullable().default(null),
});

/** Payload schema of ALERT_SKIPPED. */
export const alertSkipped = z.looseObject({
  alert_id: z.string().min(1),
  reason: z.string().nullable(),
  /** (ours) Default null. */
  reason_code: z.string().nullable().default(null),
});

/** ALERT_RECEIVED's payload as stored and read (defaults filled). */
export type AlertReceived = z.output<typeof alertReceived>;
/** ALERT_RATE_LIMITED's payload as stored and read (defaults filled). */
export type AlertRateLimited = z.output<typeof alertRateLimited>;
/** ALERT_CLASSIFIED's payload as stored and read (defaults filled). */
export type AlertClassified = z.output<typeof alertClassified>;
/** ALERT_SCORED's payload as stored and read (defaults filled). */
export type AlertScored = z.output<typeof alertScored>;
/** ALERT_DECISION_MADE's payload as stored and read (defaults filled). */
export type AlertDecisionMade = z.output<typeof alertDecisionMade>;
/** ALERT_SENT_DISCORD's payload as stored and read (defaults filled). */
export type AlertSentDiscord = z.output<typeof alertSentDiscord>;
/** ALERT_TRADE_EXECUTED's payload as stored and read (defaults filled). */
export type AlertTradeExecuted = z.output<typeof alertTradeExecuted>;
/** ALERT_SKIPPED's payload as stored and read (defaults filled). */
export type AlertSkipped = z.output<typeof alertSkipped>;

/**
 * The catalogue: every event type of the plugin, declared once. The schema table, the
 * union type, the reducer's switch, the handlers' decisions and the views' labels derive from it.
 */
export const ALERT_EVENTS = {
  ALERT_RECEIVED: { aggregateType: ALERT_AGGREGATE, payload: alertReceived, label: 'Alert received', description: 'A news alert arrived.' },
  ALERT_RATE_LIMITED: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertRateLimited,
    label: 'Alert rate limited',
    description: 'The alert was dropped by the rate limiter.',
  },
  ALERT_CLASSIFIED: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertClassified,
    label: 'Alert classified',
    description: 'The alert was classified (catalyst type, score, keywords).',
  },
  ALERT_SCORED: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertScored,
    label: 'Alert scored',
    description: "The alert was scored, with the score's components.",
  },
  ALERT_DECISION_MADE: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertDecisionMade,
    label: 'Decision made',
    description: 'Trade, skip or wait, with the reasoning, score and threshold.',
  },
  ALERT_SENT_DISCORD: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertSentDiscord,
    label: 'Sent to Discord',
    description: 'The alert was posted to Discord.',
  },
  ALERT_TRADE_EXECUTED: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertTradeExecuted,
    label: 'Trade executed',
    description: 'A trade was placed for the alert.',
  },
  ALERT_SKIPPED: {
    aggregateType: ALERT_AGGREGATE,
    payload: alertSkipped,
    label: 'Alert skipped',
    description: 'The alert was not traded, and why.',
  },
} as const satisfies EventDefinitions;

/** Every event type of the plugin. */
export type AlertEventType = keyof typeof ALERT_EVENTS;
/** What emit accepts for each event type (see TypedEmitter). */
export type AlertCatalogue = CatalogueOf<typeof ALERT_EVENTS>;

/** The schema definitions `define` registers, one per event type of {@link ALERT_EVENTS}. */
export const alertEventSchemas: readonly EventSchemaDefinition[] = schemaTable(ALERT_EVENTS, VERSION);
/** Event type -> display label. */
export const ALERT_EVENT_LABELS = labelsOf(ALERT_EVENTS);
