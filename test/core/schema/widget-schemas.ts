import { z } from 'zod';
import type { EventSchemaDefinition } from '../../../src-core/plugins/types';

/** Test event types: the core knows no trading words, so neither do its tests. */
export const widgetCreated: EventSchemaDefinition = {
  eventType: 'WIDGET_CREATED',
  aggregateType: 'widget',
  version: '2.0',
  description: 'A widget came into being.',
  payload: z.object({
    widget_id: z.string().min(1).describe('the widget'),
    quantity: z.number().positive(),
    side: z.enum(['left', 'right']),
    color: z.string().default('grey').describe('seed rows lack it'),
    dims: z.object({ w: z.number(), h: z.number() }).optional(),
    tags: z.array(z.object({ name: z.string() })).optional(),
  }),
  upcasters: [
    // 1.0 had `qty`; 1.5 had no side.
    { fromVersion: '1.0', toVersion: '1.5', up: ({ qty, ...rest }) => ({ ...rest, quantity: qty }) },
    { fromVersion: '1.5', toVersion: '2.0', up: (p) => ({ ...p, side: 'left' }) },
  ],
};

export const widgetPainted: EventSchemaDefinition = {
  eventType: 'WIDGET_PAINTED',
  aggregateType: 'widget',
  version: '1.0',
  payload: z.object({ widget_id: z.string(), color: z.string() }),
};

export const gadgetMoved: EventSchemaDefinition = {
  eventType: 'GADGET_MOVED',
  aggregateType: 'gadget',
  version: '1.0',
  payload: z.object({ gadget_id: z.string(), to: z.number().int().min(0) }),
};

export function validWidget(overrides: Record<string, unknown> = {}) {
  return {
    event_type: 'WIDGET_CREATED',
    aggregate_type: 'widget',
    aggregate_id: 'w-1',
    payload: { widget_id: 'w-1', quantity: 3, side: 'left', ...overrides },
  };
}
