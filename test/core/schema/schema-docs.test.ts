import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { gadgetMoved, widgetCreated, widgetPainted } from './widget-schemas';

function registry(): SchemaRegistry {
  const r = new SchemaRegistry();
  r.register(widgetPainted, 'widgets');
  r.register(gadgetMoved, 'gadgets');
  r.register(widgetCreated, 'widgets');
  return r;
}

/** The parts of a generated JSON Schema document these tests read. */
interface JsonSchema {
  $schema?: string;
  $id?: string;
  $defs?: Record<string, JsonSchema>;
  oneOf?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: unknown;
  default?: unknown;
  'x-catalyst'?: unknown;
}

describe('SchemaRegistry.toJsonSchema', () => {
  it('is one 2020-12 document with every event type under $defs and a root that accepts any of them', () => {
    const doc = registry().toJsonSchema() as JsonSchema;
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(doc.$defs!)).toEqual(['GADGET_MOVED', 'WIDGET_CREATED', 'WIDGET_PAINTED']);
    expect(doc.oneOf).toEqual([
      { $ref: 'urn:catalyst-events:event:GADGET_MOVED' },
      { $ref: 'urn:catalyst-events:event:WIDGET_CREATED' },
      { $ref: 'urn:catalyst-events:event:WIDGET_PAINTED' },
    ]);
    // Round-trips through JSON: nothing unrepresentable slipped in.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('describes the full event: envelope constants, payload from zod (input side), metadata, version', () => {
    const created = (registry().toJsonSchema() as JsonSchema).$defs!.WIDGET_CREATED!;
    expect(created.$id).toBe('urn:catalyst-events:event:WIDGET_CREATED');
    expect(created.properties!.event_type).toEqual({ const: 'WIDGET_CREATED' });
    expect(created.properties!.aggregate_type).toEqual({ const: 'widget' });
    expect(created.required).toEqual(expect.arrayContaining(['event_id', 'aggregate_id', 'payload', 'created_at']));
    const payload = created.properties!.payload!;
    expect(payload.properties!.side).toEqual({ type: 'string', enum: ['left', 'right'] });
    expect(payload.properties!.color!.default).toBe('grey');
    // A defaulted key is optional for readers: seed-written rows lack it.
    expect(payload.required).toEqual(['widget_id', 'quantity', 'side']);
    expect(payload.additionalProperties).toBeUndefined();
    expect(created.properties!.metadata!.properties!.correlation_id).toEqual({ type: ['string', 'null'] });
    expect(created['x-catalyst']).toEqual({
      version: '2.0',
      owner: 'widgets',
      upcasters: [
        { from: '1.0', to: '1.5' },
        { from: '1.5', to: '2.0' },
      ],
    });
  });

  it('does not throw on zod types JSON Schema cannot express', () => {
    const r = new SchemaRegistry();
    r.register({
      eventType: 'ODD',
      aggregateType: 'odd',
      version: '1',
      payload: z.object({ at: z.date(), n: z.string().transform((s) => s.length) }),
    });
    expect(() => r.toJsonSchema()).not.toThrow();
  });
});

describe('SchemaRegistry.toMarkdown', () => {
  const md = registry().toMarkdown();

  it('groups events by aggregate type, sorted', () => {
    const gadget = md.indexOf('## Aggregate `gadget`');
    const widget = md.indexOf('## Aggregate `widget`');
    expect(gadget).toBeGreaterThan(0);
    expect(widget).toBeGreaterThan(gadget);
    expect(md.indexOf('### GADGET_MOVED')).toBeGreaterThan(gadget);
    expect(md.indexOf('### WIDGET_CREATED')).toBeGreaterThan(widget);
    expect(md.indexOf('### WIDGET_PAINTED')).toBeGreaterThan(md.indexOf('### WIDGET_CREATED'));
  });

  it('lists payload keys with types, requiredness, defaults, nested keys and descriptions', () => {
    expect(md).toContain('| `widget_id` | string | yes | the widget |');
    expect(md).toContain('| `quantity` | number > 0 | yes |  |');
    expect(md).toContain('| `side` | "left" \\| "right" | yes |  |');
    expect(md).toContain('| `color` | string | no (default "grey") | seed rows lack it |');
    expect(md).toContain('| `dims.w` | number | yes |  |');
    expect(md).toContain('| `tags[].name` | string | yes |  |');
    expect(md).toContain('| `to` | integer ≥ 0 | yes |  |');
  });

  it('states version, owner, description and upcasters', () => {
    expect(md).toContain('A widget came into being.');
    expect(md).toContain('Schema version `2.0`, registered by `widgets`. Upcasters: `1.0` → `1.5`, `1.5` → `2.0`.');
  });
});
