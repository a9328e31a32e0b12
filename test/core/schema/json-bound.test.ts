import { describe, expect, it } from 'vitest';
import { inspectJson, serializedBytes } from '../../../src-core/schema/json-safety';

/**
 * inspectJson answers a clean value with a quick pass and walks only what that pass cannot
 * vouch for: both must give the same bound, and every issue must still be found at its path.
 */
describe('inspectJson', () => {
  it('bounds a clean value by the documented count, and the bound holds', () => {
    // {"a":1,"s":"xy","l":[true,null],"o":{}}: braces 4, "a" 1*6+4 + 24, "s" 10 + 2*6+2,
    // "l" 10 + (4 + 2 commas + 5 + 4), "o" 10 + 4.
    const value = { a: 1, s: 'xy', l: [true, null], o: {}, skipped: undefined };
    const { issues, maxBytes } = inspectJson(value, 'payload');
    expect(issues).toEqual([]);
    expect(maxBytes).toBe(4 + 10 + 24 + 10 + 14 + 10 + 15 + 10 + 4);
    expect(maxBytes).toBeGreaterThanOrEqual(serializedBytes(value));
  });

  it('gives a value with an issue the same bound over its clean part, and the issue its path', () => {
    const clean = { a: 1, s: 'xy' };
    const bad = { a: 1, s: 'xy', n: Number.NaN };
    const cleanBound = inspectJson(clean, 'payload').maxBytes;
    const { issues, maxBytes } = inspectJson(bad, 'payload');
    expect(issues).toEqual([{ path: 'payload.n', message: 'NaN is not representable in JSON' }]);
    // The walk counts the NaN's key and slot too.
    expect(maxBytes).toBe(cleanBound + 1 * 6 + 4 + 24);
  });

  it.each([
    ['a lone surrogate in a key', { ['k\ud800']: 1 }, 'payload.k\ud800'],
    ['an undefined array element', { l: [1, undefined] }, 'payload.l[1]'],
    ['a Map', { m: new Map() }, 'payload.m'],
    [
      'a throwing getter',
      Object.defineProperty({}, 'g', {
        enumerable: true,
        get: () => {
          throw new Error('no');
        },
      }),
      'payload.g',
    ],
    ['a bigint deep down', { a: [{ b: { c: 1n } }] }, 'payload.a[0].b.c'],
  ])('finds %s at its path', (_what, value, path) => {
    expect(inspectJson(value, 'payload').issues.map((i) => i.path)).toEqual([path]);
  });

  it('finds a cycle without walking it for ever', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    a.twice = [a, a];
    const paths = inspectJson(a, 'payload').issues.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual([
      'payload.self: circular reference',
      'payload.twice[0]: circular reference',
      'payload.twice[1]: circular reference',
    ]);
  });

  it('the same shared (not circular) object twice is clean', () => {
    const shared = { p: 1 };
    expect(inspectJson({ a: shared, b: [shared] }, 'payload').issues).toEqual([]);
  });
});
