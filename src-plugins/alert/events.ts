/**
 * Alert events: the seed's eight, its keys, plus what a decision was made on (reason
 * codes, thresholds) so "why did the bot do that" is answered from the log alone.
 */
import { z } from 'zod';
import type { EventSchemaDefinition } from '../../src-core';

export const ALERT_AGGREGATE = 'alert';
const VERSION = '1.0';

const time = z.union([z.string(), z.number()]).nullable();

export const alertDecision = z.enum(['trade', 'skip', 'wait']);

export const alertReceived = z.looseObject({
  alert_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  headline: z.string().nullable().default(null),
  source: z.string().nullable().default(null),
  received_at: time.default(null),
  /** (ours) Link to the story. Default null. */
  url: z.string().nullable().default(null),
});

export const alertRateLimited = z.looseObject({
  alert_id: z.string().min(1),
  ticker: z.string().nullable().default(null),
  limit: z.number().nullable().default(null),
  window_seconds: z.number().nullable().default(null),
  /** (ours) Why, when the limiter says more than "over the limit". Default null. */
  reason: z.string().nullable().default(null),
});

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

export const alertScored = z.looseObject({
  alert_id: z.string().min(1),
  score: z.number(),
  /** The parts the score was summed from. Default {}. */
  components: z.record(z.string(), z.unknown()).nullable().default({}),
});

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

export const alertSentDiscord = z.looseObject({
  alert_id: z.string().min(1),
  channel: z.string().nullable().default(null),
  message_id: z.string().nullable().default(null),
});

export const alertTradeExecuted = z.looseObject({
  alert_id: z.string().min(1),
  signal_id: z.string().nullable().default(null),
  order_id: z.string().nullable().default(null),
});

export const alertSkipped = z.looseObject({
  alert_id: z.string().min(1),
  reason: z.string().nullable(),
  /** (ours) Default null. */
  reason_code: z.string().nullable().default(null),
});

export type AlertReceived = z.output<typeof alertReceived>;
export type AlertRateLimited = z.output<typeof alertRateLimited>;
export type AlertClassified = z.output<typeof alertClassified>;
export type AlertScored = z.output<typeof alertScored>;
export type AlertDecisionMade = z.output<typeof alertDecisionMade>;
export type AlertSentDiscord = z.output<typeof alertSentDiscord>;
export type AlertTradeExecuted = z.output<typeof alertTradeExecuted>;
export type AlertSkipped = z.output<typeof alertSkipped>;

export const ALERT_EVENTS = {
  ALERT_RECEIVED: 'ALERT_RECEIVED',
  ALERT_RATE_LIMITED: 'ALERT_RATE_LIMITED',
  ALERT_CLASSIFIED: 'ALERT_CLASSIFIED',
  ALERT_SCORED: 'ALERT_SCORED',
  ALERT_DECISION_MADE: 'ALERT_DECISION_MADE',
  ALERT_SENT_DISCORD: 'ALERT_SENT_DISCORD',
  ALERT_TRADE_EXECUTED: 'ALERT_TRADE_EXECUTED',
  ALERT_SKIPPED: 'ALERT_SKIPPED',
} as const;

const def = (eventType: string, payload: z.ZodType, description: string): EventSchemaDefinition => ({
  eventType,
  aggregateType: ALERT_AGGREGATE,
  version: VERSION,
  payload,
  description,
});

export const alertEventSchemas: readonly EventSchemaDefinition[] = [
  def('ALERT_RECEIVED', alertReceived, 'A news alert arrived.'),
  def('ALERT_RATE_LIMITED', alertRateLimited, 'The alert was dropped by the rate limiter.'),
  def('ALERT_CLASSIFIED', alertClassified, 'The alert was classified (catalyst type, score, keywords).'),
  def('ALERT_SCORED', alertScored, 'The alert was scored, with the score\'s components.'),
  def('ALERT_DECISION_MADE', alertDecisionMade, 'Trade, skip or wait, with the reasoning, score and threshold.'),
  def('ALERT_SENT_DISCORD', alertSentDiscord, 'The alert was posted to Discord.'),
  def('ALERT_TRADE_EXECUTED', alertTradeExecuted, 'A trade was placed for the alert.'),
  def('ALERT_SKIPPED', alertSkipped, 'The alert was not traded, and why.'),
];
