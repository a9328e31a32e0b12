import { z } from 'zod';
import { MAX_ID_LENGTH } from '../../src-core';
import { TRADE_COLUMNS } from '../../src-plugins/analytics';
import type { QueryMethod } from '../shared/api';

/**
 * Arguments of every query, as they arrive from a renderer (IPC) or a browser (HTTP): untrusted.
 * Objects are strict (an unknown key is an error, not silently ignored) and every string and
 * number is bounded, so a bad caller gets a clear message instead of a slow query.
 */
/** The emitter's own bound: every id that can be written can be asked for, and no longer one. */
const id = z.string().min(1).max(MAX_ID_LENGTH);
const time = z.number().int().min(0).max(8.64e15);
const position = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const eventQuerySchema = z.strictObject({
  types: z.array(z.string().min(1).max(128)).max(200).optional(),
  aggregateType: id.optional(),
  aggregateId: id.optional(),
  correlationId: id.optional(),
  since: time.optional(),
  until: time.optional(),
  text: z.string().min(1).max(500).optional(),
  excludeTypes: z.array(z.string().min(1).max(128)).max(200).optional(),
  ticker: z.string().min(1).max(64).optional(),
});

/** A display zone name (validated for real by TimeZone.of: an unknown one is UNKNOWN_TIME_ZONE). */
const zone = z.string().min(1).max(64).optional();
const names = z.array(z.string().min(1).max(MAX_ID_LENGTH)).max(200).optional();
const score = z.number().finite().min(-1e9).max(1e9);

export const MAX_PAGE = 1000;

export const querySchemas = {
  info: z.strictObject({}).optional(),
  eventsPage: z.strictObject({
    filter: eventQuerySchema.default({}),
    after: position.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE),
    direction: z.enum(['forward', 'backward']).default('backward'),
  }),
  eventDetail: z.strictObject({ eventId: id }),
  aggregates: z.strictObject({
    aggregateType: id.optional(),
    afterId: id.optional(),
    limit: z.number().int().min(1).max(500),
  }),
  rebuild: z
    .strictObject({
      aggregateType: id,
      aggregateId: id,
      asOfSequence: z.number().int().min(0).optional(),
      asOfTime: time.optional(),
    })
    .refine((a) => a.asOfSequence === undefined || a.asOfTime === undefined, {
      message: 'give asOfSequence or asOfTime, not both',
    }),
  replay: z.strictObject({ aggregateType: id, aggregateId: id }),
  pnlSeries: z.strictObject({ positionId: id }),
  trace: z
    .strictObject({ correlationId: id.optional(), eventId: id.optional() })
    .refine((a) => (a.correlationId === undefined) !== (a.eventId === undefined), {
      message: 'give exactly one of correlationId or eventId',
    }),
  stats: z.strictObject({}).optional(),
  corruptRows: z.strictObject({
    after: position.optional(),
    limit: z.number().int().min(1).max(MAX_PAGE),
  }),
  trades: z.strictObject({
    zone,
    tickers: names,
    side: z.enum(['long', 'short']).optional(),
    outcome: z.enum(['won', 'lost']).optional(),
    exitReasons: names,
    status: z.enum(['open', 'closed']).optional(),
    runs: names,
    since: time.optional(),
    until: time.optional(),
    sort: z.enum(TRADE_COLUMNS as [string, ...string[]]).optional(),
    descending: z.boolean().optional(),
  }),
  report: z.strictObject({ zone }).default({}),
  book: z.strictObject({ zone, asOf: time.optional() }).default({}),
  decisions: z.strictObject({ zone, threshold: score.optional() }).default({}),
  decisionEvents: z.strictObject({
    zone,
    section: z.enum(['by_decision', 'by_skip_reason', 'risk_failures', 'rejections']),
    key: z.string().min(1).max(MAX_ID_LENGTH),
    ticker: z.string().min(1).max(MAX_ID_LENGTH).optional(),
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.number().int().min(1).max(200),
  }),
  replayPage: z.strictObject({
    aggregateType: id,
    aggregateId: id,
    from: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    limit: z.number().int().min(1).max(MAX_PAGE),
  }),
  eventsCount: z.strictObject({ filter: eventQuerySchema.default({}) }),
} satisfies Record<QueryMethod, z.ZodType>;

export const exportArgsSchema = z.strictObject({
  filter: eventQuerySchema.default({}),
  format: z.enum(['csv', 'ndjson']),
});

export const openRecentSchema = z.strictObject({ path: z.string().min(1).max(4096) });
