/**
 * Risk events: the seed's eight. A failed check records what it was decided on (value,
 * limit, reason, reason code). All go to one `risk` aggregate per book (account or run).
 */
import { z } from 'zod';
import type { EventSchemaDefinition } from '../../src-core';

export const RISK_AGGREGATE = 'risk';
const VERSION = '1.0';

const time = z.union([z.string(), z.number()]).nullable();
/** Most checks compare numbers; some compare a flag or a name ('market_closed'). */
const measure = z.union([z.number(), z.string(), z.boolean()]).nullable();

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

export const positionLimit = z.looseObject({
  ticker: z.string().min(1),
  value: z.number(),
  limit: z.number(),
});

export const dailyLossLimit = z.looseObject({
  realized_pnl_today: z.number(),
  limit: z.number(),
});

export const circuitBreakerTriggered = z.looseObject({
  reason: z.string(),
  /** Until when trading halts; null = until reset. */
  until: time.default(null),
});

export const circuitBreakerReset = z.looseObject({
  reason: z.string().nullable().default(null),
  until: time.default(null),
});

export type RiskCheck = z.output<typeof riskCheck>;
export type PositionLimit = z.output<typeof positionLimit>;
export type DailyLossLimit = z.output<typeof dailyLossLimit>;
export type CircuitBreakerTriggered = z.output<typeof circuitBreakerTriggered>;
export type CircuitBreakerReset = z.output<typeof circuitBreakerReset>;

export const RISK_EVENTS = {
  RISK_CHECK_PASSED: 'RISK_CHECK_PASSED',
  RISK_CHECK_FAILED: 'RISK_CHECK_FAILED',
  POSITION_LIMIT_WARNING: 'POSITION_LIMIT_WARNING',
  POSITION_LIMIT_EXCEEDED: 'POSITION_LIMIT_EXCEEDED',
  DAILY_LOSS_LIMIT_WARNING: 'DAILY_LOSS_LIMIT_WARNING',
  DAILY_LOSS_LIMIT_EXCEEDED: 'DAILY_LOSS_LIMIT_EXCEEDED',
  CIRCUIT_BREAKER_TRIGGERED: 'CIRCUIT_BREAKER_TRIGGERED',
  CIRCUIT_BREAKER_RESET: 'CIRCUIT_BREAKER_RESET',
} as const;

const def = (eventType: string, payload: z.ZodType, description: string): EventSchemaDefinition => ({
  eventType,
  aggregateType: RISK_AGGREGATE,
  version: VERSION,
  payload,
  description,
});

export const riskEventSchemas: readonly EventSchemaDefinition[] = [
  def('RISK_CHECK_PASSED', riskCheck, 'A pre-trade risk check passed, with the value and limit it compared.'),
  def('RISK_CHECK_FAILED', riskCheck, 'A pre-trade risk check failed, with the value, limit and reason.'),
  def('POSITION_LIMIT_WARNING', positionLimit, 'Exposure in a ticker is near its limit.'),
  def('POSITION_LIMIT_EXCEEDED', positionLimit, 'Exposure in a ticker is over its limit.'),
  def('DAILY_LOSS_LIMIT_WARNING', dailyLossLimit, 'Today\'s realized loss is near the daily limit.'),
  def('DAILY_LOSS_LIMIT_EXCEEDED', dailyLossLimit, 'Today\'s realized loss is over the daily limit.'),
  def('CIRCUIT_BREAKER_TRIGGERED', circuitBreakerTriggered, 'Trading halted.'),
  def('CIRCUIT_BREAKER_RESET', circuitBreakerReset, 'Trading resumed.'),
];
