import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPluginError, isValidationError } from '../../../src-core/errors';
import type { NewEvent, StoredEvent } from '../../../src-core/events/types';
import { MAX_PAYLOAD_BYTES } from '../../../src-core/schema/json-safety';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { gadgetMoved, validWidget, widgetCreated, widgetPainted } from './widget-schemas';

function registry(): SchemaRegistry {
  const r = new SchemaRegistry();
  r.register(widgetCreated, 'widgets');
  r.register(widgetPainted, 'widgets');
  r.register(gadgetMoved, 'gadgets');
  return r;
}

function issuesOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (error) {
    if (!isValidationError(error)) throw error;
    return Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
  }
  throw new Error('expected a ValidationError');
}

describe('SchemaRegistry.register', () => {
  it('refuses a second registration of one event type, naming both owners', () => {
    const r = registry();
    let caught: unknown;
    try {
      r.register({ ...widgetPainted }, 'paint-plugin');
    } catch (error) {
      caught = error;
    }
    expect(isPluginError(caught)).toBe(true);
    expect((caught as { plugins: string[] }).plugins).toEqual(['widgets', 'paint-plugin']);
    expect((caught as Error).message).toContain("'WIDGET_PAINTED'");
  });

  it('keeps the owner and lists in registration order', () => {
    const r = registry();
    expect(r.get('GADGET_MOVED')?.owner).toBe('gadgets');
    expect(r.list().map((d) => d.eventType)).toEqual(['WIDGET_CREATED', 'WIDGET_PAINTED', 'GADGET_MOVED']);
    expect(r.has('NOPE')).toBe(false);
  });

  it('rejects malformed definitions and upcaster chains that cannot reach the version', () => {
    const r = new SchemaRegistry();
    const base = { eventType: 'X', aggregateType: 'x', version: '3', payload: z.object({}) };
    expect(() => r.register({ ...base, eventType: '' })).toThrow(/eventType/);
    expect(() => r.register({ ...base, payload: {} as z.ZodType })).toThrow(/zod schema/);
    const up = (p: Record<string, unknown>) => p;
    expect(() => r.register({ ...base, upcasters: [{ fromVersion: '1', toVersion: '2', up }] })).toThrow(/end at 2/);
    expect(() =>
      r.register({
        ...base,
        upcasters: [
          { fromVersion: '1', toVersion: '2', up },
          { fromVersion: '2', toVersion: '1', up },
        ],
      }),
    ).toThrow(/loop|end at/);
    expect(r.list()).toHaveLength(0);
  });
});

describe('SchemaRegistry.validate', () => {
  it('returns the parsed payload with defaults applied and extra keys kept at every depth', () => {
    const payload = registry().validate(validWidget({ extra: 'kept', dims: { w: 1, h: 2, d: 3 }, tags: [{ name: 'a', weight: 1 }] }));
    expect(payload).toEqual({
      widget_id: 'w-1',
      quantity: 3,
      side: 'left',
      color: 'grey',
      extra: 'kept',
      dims: { w: 1, h: 2, d: 3 },
      tags: [{ name: 'a', weight: 1 }],
    });
  });

  it('names every bad payload path and why', () => {
    const issues = issuesOf(() =>
      registry().validate({
        ...validWidget(),
        payload: { quantity: -1, side: 'up', dims: { w: 'wide', h: 1 } },
      }),
    );
    expect(Object.keys(issues).sort()).toEqual(['payload.dims.w', 'payload.quantity', 'payload.side', 'payload.widget_id']);
    expect(issues['payload.side']).toMatch(/left|right/);
  });

  it('rejects an unknown event type on path event_type', () => {
    const issues = issuesOf(() => registry().validate({ ...validWidget(), event_type: 'WIDGET_EXPLODED' }));
    expect(issues.event_type).toMatch(/unknown event type 'WIDGET_EXPLODED'/);
  });

  it('rejects an aggregate type that does not match the registered one', () => {
    const issues = issuesOf(() => registry().validate({ ...validWidget(), aggregate_type: 'gadget' }));
    expect(issues.aggregate_type).toMatch(/belongs to aggregate 'widget'/);
  });

  it('checks the envelope: ids, times, versions and metadata shape', () => {
    const issues = issuesOf(() =>
      registry().validate({
        ...validWidget(),
        aggregate_id: '',
        event_id: 'not-a-uuid',
        created_at: 1.5,
        expected_version: -1,
        metadata: { source: 7, correlation_id: 5, version: '1.0' },
      } as unknown as NewEvent),
    );
    expect(Object.keys(issues).sort()).toEqual([
      'aggregate_id',
      'created_at',
      'event_id',
      'expected_version',
      'metadata.correlation_id',
      'metadata.source',
      'metadata.version',
    ]);
  });

  it('rejects a payload that is not an object, and an event that is not an object', () => {
    expect(issuesOf(() => registry().validate({ ...validWidget(), payload: [1] } as unknown as NewEvent)).payload).toMatch(/array/);
    expect(issuesOf(() => registry().validate(null as unknown as NewEvent))).toHaveProperty('');
  });

  it('rejects values JSON cannot carry, with their paths', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const issues = issuesOf(() =>
      registry().validate({
        ...validWidget(),
        payload: {
          widget_id: 'w',
          quantity: Number.NaN,
          side: 'left',
          big: 10n,
          inf: -Infinity,
          fn: () => 1,
          list: [1, undefined, 3],
          when: new Date(0),
          loop: cyclic,
          absent: undefined,
        },
      }),
    );
    expect(Object.keys(issues).sort()).toEqual([
      'payload.big',
      'payload.fn',
      'payload.inf',
      'payload.list[1]',
      'payload.loop.self',
      'payload.quantity',
      'payload.when',
    ]);
    expect(issues['payload.quantity']).toMatch(/NaN is not representable/);
    expect(issues['payload.loop.self']).toBe('circular reference');
    expect(issues['payload.when']).toMatch(/Date/);
  });

  it('allows a shared (non-circular) reference twice', () => {
    const shared = { name: 'x' };
    expect(() => registry().validate(validWidget({ tags: [shared, shared] }) as NewEvent)).not.toThrow();
  });

  it(`rejects payloads over ${MAX_PAYLOAD_BYTES} bytes of JSON`, () => {
    const issues = issuesOf(() => registry().validate(validWidget({ blob: 'x'.repeat(MAX_PAYLOAD_BYTES) })));
    expect(issues.payload).toMatch(/exceeds the maximum of 262144/);
    expect(() => registry().validate(validWidget({ blob: 'x'.repeat(MAX_PAYLOAD_BYTES - 200) }) as NewEvent)).not.toThrow();
  });

  it('reports a schema whose check throws instead of crashing', () => {
    const r = new SchemaRegistry();
    r.register({
      eventType: 'BOOM',
      aggregateType: 'b',
      version: '1',
      payload: z.object({ a: z.number() }).refine(() => {
        throw new Error('refine exploded');
      }),
    });
    const issues = issuesOf(() => r.validate({ event_type: 'BOOM', aggregate_type: 'b', aggregate_id: '1', payload: { a: 1 } }));
    expect(issues.payload).toMatch(/refine exploded/);
  });
});

describe('SchemaRegistry.upcast', () => {
  const stored = (version: string | undefined, payload: Record<string, unknown>): StoredEvent => ({
    position: 1,
    event_id: '0190a0a0-0000-7000-8000-000000000000',
    event_type: 'WIDGET_CREATED',
    aggregate_type: 'widget',
    aggregate_id: 'w-1',
    sequence_number: 1,
    created_at: 0,
    payload,
    metadata: { source: 's', correlation_id: null, causation_id: null, user_id: null, version: version as string },
  });

  it('chains upcasters from the stored version to the registered one', () => {
    const lifted = registry().upcast(stored('1.0', { widget_id: 'w-1', qty: 4 }));
    expect(lifted.payload).toEqual({ widget_id: 'w-1', quantity: 4, side: 'left' });
    expect(lifted.metadata.version).toBe('2.0');
  });

  it('treats a missing version as the seed "1.0"', () => {
    expect(registry().upcast(stored(undefined, { qty: 2 })).payload).toEqual({ quantity: 2, side: 'left' });
  });

  it('passes current versions, unknown types and unknown versions through unchanged', () => {
    const r = registry();
    const current = stored('2.0', { widget_id: 'w', quantity: 1, side: 'right' });
    expect(r.upcast(current)).toBe(current);
    const unknown = { ...current, event_type: 'NOT_REGISTERED' };
    expect(r.upcast(unknown)).toBe(unknown);
    const odd = stored('0.1', { x: 1 });
    expect(r.upcast(odd)).toBe(odd);
  });
});

describe('SchemaRegistry.validate output', () => {
  it('shares no object or array with the input (a buffered write must not see later mutations)', () => {
    const dims = { w: 1, h: 2 };
    const extra = { deep: { list: [1, 2] } };
    const tags = [{ name: 'a' }];
    const input = validWidget({ dims, extra, tags });
    const payload = registry().validate(input) as Record<string, unknown>;
    dims.w = 99;
    extra.deep.list.push(3);
    tags[0]!.name = 'changed';
    expect(payload.dims).toEqual({ w: 1, h: 2 });
    expect(payload.extra).toEqual({ deep: { list: [1, 2] } });
    expect(payload.tags).toEqual([{ name: 'a' }]);
  });
});

describe('SchemaRegistry.validate with hostile keys', () => {
  it('keeps a `__proto__` key from parsed JSON as data, never as a prototype', () => {
    const payload = JSON.parse(
      '{"widget_id":"w","quantity":1,"side":"left","__proto__":{"polluted":true},"x":{"__proto__":{"y":1}}}',
    ) as Record<string, unknown>;
    const out = registry().validate({ ...validWidget(), payload }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(out.polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(out))).toEqual({ ...payload, color: 'grey' });
    expect(JSON.stringify(out)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('SchemaRegistry.upcastTypes', () => {
  it('names the event types with upcasters, and follows later registrations', () => {
    const r = new SchemaRegistry();
    r.register(widgetPainted, 'widgets');
    r.register(gadgetMoved, 'gadgets');
    const before = r.upcastTypes();
    expect(before).toEqual([widgetPainted, gadgetMoved].filter((d) => (d.upcasters?.length ?? 0) > 0).map((d) => d.eventType));
    r.register(widgetCreated, 'widgets');
    expect(r.upcastTypes()).toEqual(
      [widgetPainted, gadgetMoved, widgetCreated].filter((d) => (d.upcasters?.length ?? 0) > 0).map((d) => d.eventType),
    );
    expect(r.upcastTypes()).toContain(widgetCreated.eventType);
  });
});
