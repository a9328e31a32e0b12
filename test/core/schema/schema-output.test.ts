import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isValidationError } from '../../../src-core/errors';
import type { NewEvent } from '../../../src-core/events/types';
import { MAX_PAYLOAD_BYTES } from '../../../src-core/schema/json-safety';
import { mergeReportingChange } from '../../../src-core/schema/keep-extra-keys';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';

/**
 * What a schema produces is checked again only when it holds something the input did not:
 * the merge vouches for defaults that are plain JSON, and leaves the rest to a full walk.
 */
describe('mergeReportingChange', () => {
  it('a copy of the input plus JSON primitives it adds: checked, with their bytes counted', () => {
    const input = { a: 1, nested: { s: 'x' }, list: [1, 2] };
    const { value, report } = mergeReportingChange(input, { a: 1, nested: { s: 'x', d: null }, list: [1, 2], flag: false, label: 'grey' });
    expect(value).toEqual({ a: 1, nested: { s: 'x', d: null }, list: [1, 2], flag: false, label: 'grey' });
    expect(report.unchecked).toBe(false);
    // d: null (4 + key 1*6+4), flag: false (5 + 4*6+4), label: "grey" (4*6+2 + 5*6+4).
    expect(report.addedBytes).toBe(4 + 10 + 5 + 28 + 26 + 34);
    expect(value).not.toBe(input);
    expect((value as typeof input).nested).not.toBe(input.nested);
  });

  it('unchanged input adds nothing', () => {
    expect(mergeReportingChange({ a: 'b', c: [true] }, { a: 'b', c: [true] }).report).toEqual({ unchecked: false, addedBytes: 0 });
  });

  for (const [what, produced] of [
    ['a Date', new Date(0)],
    ['NaN', Number.NaN],
    ['a bigint', 10n],
    ['an object where the input had text', { x: 1 }],
    ['a lone surrogate', '\ud800'],
  ] as const) {
    it(`${what} from the schema is left unchecked`, () => {
      expect(mergeReportingChange({ v: 'text' }, { v: produced }).report.unchecked).toBe(true);
    });
  }

  it('an undefined array element from the schema is left unchecked (JSON would write null)', () => {
    expect(mergeReportingChange({ l: [1, 2] }, { l: [1, undefined] }).report.unchecked).toBe(true);
  });
});

describe('SchemaRegistry.validate: what the schema produced', () => {
  const registry = (payload: z.ZodType) => {
    const r = new SchemaRegistry();
    r.register({ eventType: 'T', aggregateType: 'thing', version: '1.0', payload }, 'test');
    return r;
  };
  const event = (payload: Record<string, unknown>): NewEvent => ({ event_type: 'T', aggregate_type: 'thing', aggregate_id: 't', payload });
  const issues = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (isValidationError(error)) return Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
      throw error;
    }
    return {};
  };

  it('a transform producing a Date or NaN is still refused, at its path', () => {
    const r = registry(z.object({ at: z.string().transform((s) => new Date(s)), n: z.string().transform(() => Number.NaN) }));
    const found = issues(() => r.validate(event({ at: '2026-01-01', n: 'x' })));
    expect(found['payload.at']).toMatch(/Date is not plain JSON.*produced by the schema/);
    expect(found['payload.n']).toMatch(/NaN is not representable.*produced by the schema/);
  });

  it('defaults count toward the size limit: a payload just under it fails once a default is added', () => {
    // Walking the input bounds its JSON at 6 bytes a character; a default adds to that bound,
    // and the exact size decides. The JSON is {"blob":"…","tail":"…"}: 21 bytes + the blob's
    // (2 per 'é') + the tail's. With 'short' it fits; with the 100-character default it does not.
    const r = registry(z.object({ blob: z.string(), tail: z.string().default('y'.repeat(100)) }));
    const blob = 'é'.repeat((MAX_PAYLOAD_BYTES - 44) / 2);
    expect(issues(() => r.validate(event({ blob, tail: 'short' })))).toEqual({});
    expect(issues(() => r.validate(event({ blob })))['payload']).toMatch(/262221 bytes of JSON exceeds the maximum/);
  });
});

describe('mergeReportingChange: a flat output zod built is used as it is', () => {
  const loose = z.looseObject({ id: z.string(), qty: z.number(), note: z.string().nullable().default(null), tag: z.string().default('t') });
  const strict = z.object({ id: z.string(), qty: z.number() });
  const cases: [string, z.ZodType, Record<string, unknown>][] = [
    ['defaults and extras', loose, { extra: 1, qty: 2, id: 'a' }],
    ['a coerced value', z.looseObject({ n: z.coerce.number() }), { n: '5', x: true }],
    ['a key the schema strips', strict, { qty: 2, id: 'a', dropped: 'kept anyway' }],
    ['a nested object', loose, { id: 'a', qty: 1, inner: { deep: [1, { x: 2 }] } }],
  ];
  for (const [what, schema, input] of cases) {
    it(`${what}: the same value, key order and report as the full merge`, () => {
      const parsed = schema.parse(input);
      const fast = mergeReportingChange(input, parsed, true);
      const full = mergeReportingChange(input, schema.parse(input), false);
      expect(JSON.stringify(fast.value)).toBe(JSON.stringify(full.value));
      expect(fast.report).toEqual(full.report);
      expect(fast.value).not.toBe(input);
    });
  }

  it('keys come in the schema order, then the extras, whichever path ran', () => {
    const { value } = mergeReportingChange({ extra: 1, qty: 2, id: 'a' }, loose.parse({ extra: 1, qty: 2, id: 'a' }), true);
    expect(Object.keys(value as object)).toEqual(['id', 'qty', 'note', 'tag', 'extra']);
    const nested = { inner: { a: 1 }, qty: 2, id: 'a' };
    expect(Object.keys(mergeReportingChange(nested, loose.parse(nested), true).value as object)).toEqual([
      'id',
      'qty',
      'note',
      'tag',
      'inner',
    ]);
  });

  it('a nested object is copied, never shared with the writer', () => {
    const input = { id: 'a', qty: 1, inner: { deep: [1, { x: 2 }] } };
    const { value } = mergeReportingChange(input, loose.parse(input), true);
    const inner = (value as typeof input).inner;
    expect(inner).toEqual(input.inner);
    expect(inner).not.toBe(input.inner);
    expect(inner.deep[1]).not.toBe(input.inner.deep[1]);
  });

  it('a key the schema drops is put back, in the writer order after the schema keys', () => {
    const input = { dropped: 'x', qty: 2, id: 'a' };
    const { value } = mergeReportingChange(input, strict.parse(input), true);
    expect(Object.keys(value as object)).toEqual(['id', 'qty', 'dropped']);
  });

  it('a NaN or an object the schema produced leaves the output unchecked', () => {
    const nan = mergeReportingChange({ n: 'x' }, { n: Number.NaN }, true);
    expect(nan.report.unchecked).toBe(true);
    const obj = mergeReportingChange({ n: 'x' }, { n: new Date(0) }, true);
    expect(obj.report.unchecked).toBe(true);
  });
});
