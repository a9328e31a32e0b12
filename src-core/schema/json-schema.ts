import { z } from 'zod';
import type { RegisteredEventSchema } from './registered';

export const EVENT_SCHEMA_ID_PREFIX = 'urn:catalyst-events:event:';

/**
 * The payload as a writer may send it and as a reader may find it (zod's input side):
 * keys with a documented default are optional, because seed-written rows lack them.
 */
export function payloadJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** The full stored event of one type: envelope, payload, metadata. */
export function eventJsonSchema(entry: RegisteredEventSchema): Record<string, unknown> {
  const payload = payloadJsonSchema(entry.payload);
  // Definitions of recursive payloads move to the event's root: their "#/$defs/..." refs
  // resolve against the nearest $id, which is the event schema's.
  const defs = payload.$defs;
  delete payload.$defs;
  const nullableString = { type: ['string', 'null'] };
  return {
    $id: EVENT_SCHEMA_ID_PREFIX + entry.eventType,
    title: entry.eventType,
    ...(entry.description ? { description: entry.description } : {}),
    type: 'object',
    required: ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'payload', 'created_at'],
    properties: {
      event_id: { type: 'string', format: 'uuid' },
      event_type: { const: entry.eventType },
      aggregate_type: { const: entry.aggregateType },
      aggregate_id: { type: 'string', minLength: 1 },
      sequence_number: { type: 'integer', minimum: 1, description: '1, 2, 3... per aggregate, no gaps' },
      created_at: { type: 'integer', minimum: 0, description: 'Unix milliseconds, UTC' },
      payload,
      metadata: {
        type: ['object', 'null'],
        properties: {
          source: { type: 'string' },
          correlation_id: nullableString,
          causation_id: nullableString,
          user_id: nullableString,
          version: { type: 'string', description: `"${entry.version}" for payloads of the current schema` },
        },
      },
    },
    ...(defs ? { $defs: defs } : {}),
    'x-catalyst': {
      version: entry.version,
      owner: entry.owner,
      upcasters: (entry.upcasters ?? []).map((u) => ({ from: u.fromVersion, to: u.toVersion })),
    },
  };
}

/**
 * One document for all registered events. It is itself a JSON Schema (any one registered
 * event validates against it); each event's schema sits in `$defs` under its type name.
 */
export function registryJsonSchema(entries: readonly RegisteredEventSchema[]): Record<string, unknown> {
  const sorted = [...entries].sort((a, b) => a.eventType.localeCompare(b.eventType));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Catalyst Events',
    description: "Every registered event type, generated from the plugins' zod schemas.",
    $defs: Object.fromEntries(sorted.map((e) => [e.eventType, eventJsonSchema(e)])),
    oneOf: sorted.map((e) => ({ $ref: EVENT_SCHEMA_ID_PREFIX + e.eventType })),
  };
}
