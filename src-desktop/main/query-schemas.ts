import { z } from 'zod';
import { MAX_ID_LENGTH } from '../../src-core/schema/envelope';
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
});

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
} satisfies Record<QueryMethod, z.ZodType>;

export const exportArgsSchema = z.strictObject({
  filter: eventQuerySchema.default({}),
  format: z.enum(['csv', 'ndjson']),
});

export const openRecentSchema = z.strictObject({ path: z.string().min(1).max(4096) });
