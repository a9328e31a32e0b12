import { describe, expect, it } from 'vitest';
import { diff, type DiffEntry, type DiffOptions } from '../../../src-core/rebuild/diff';

describe('diff', () => {
  const cases: [name: string, before: unknown, after: unknown, expected: DiffEntry[], options?: DiffOptions][] = [
    ['equal primitives', 1, 1, []],
    ['NaN equals NaN', Number.NaN, Number.NaN, []],
    ['changed root', 1, 2, [{ kind: 'changed', path: '$', before: 1, after: 2 }]],
    ['type change', { a: 1 }, [1], [{ kind: 'changed', path: '$', before: { a: 1 }, after: [1] }]],
    ['added key', { a: 1 }, { a: 1, b: 2 }, [{ kind: 'added', path: '$.b', after: 2 }]],
    ['removed key', { a: 1, b: 2 }, { a: 1 }, [{ kind: 'removed', path: '$.b', before: 2 }]],
    ['undefined counts as absent', { a: 1, b: undefined }, { a: 1 }, []],
    ['null is a value', { a: null }, {}, [{ kind: 'removed', path: '$.a', before: null }]],
    [
      'nested change',
      { p: { q: [1, { r: 'x' }] } },
      { p: { q: [1, { r: 'y' }] } },
      [{ kind: 'changed', path: '$.p.q[1].r', before: 'x', after: 'y' }],
    ],
    [
      'array grows',
      [1],
      [1, 2, 3],
      [
        { kind: 'added', path: '$[1]', after: 2 },
        { kind: 'added', path: '$[2]', after: 3 },
      ],
    ],
    ['array shrinks', [1, 2], [1], [{ kind: 'removed', path: '$[1]', before: 2 }]],
    [
      'odd keys are quoted',
      { 'a b': 1, '0': 2 },
      { 'a b': 2, '0': 3 },
      [
        { kind: 'changed', path: '$["0"]', before: 2, after: 3 },
        { kind: 'changed', path: '$["a b"]', before: 1, after: 2 },
      ],
    ],
    ['floats exact by default', 0.1 + 0.2, 0.3, [{ kind: 'changed', path: '$', before: 0.1 + 0.2, after: 0.3 }]],
    ['floats within tolerance', { pnl: 0.1 + 0.2 }, { pnl: 0.3 }, [], { absoluteTolerance: 1e-9 }],
    ['relative tolerance scales', 1e12, 1e12 + 1, [], { relativeTolerance: 1e-9 }],
    [
      'tolerance does not hide a real change',
      100,
      100.5,
      [{ kind: 'changed', path: '$', before: 100, after: 100.5 }],
      { absoluteTolerance: 1e-9, relativeTolerance: 1e-9 },
    ],
    [
      'infinity is not near a number',
      Infinity,
      1e308,
      [{ kind: 'changed', path: '$', before: Infinity, after: 1e308 }],
      { relativeTolerance: 1 },
    ],
    ['dates by time', { t: new Date(5) }, { t: new Date(5) }, []],
    ['dates that differ', new Date(5), new Date(6), [{ kind: 'changed', path: '$', before: new Date(5), after: new Date(6) }]],
    ['maps by entries', new Map([['a', 1]]), new Map([['a', 1]]), []],
    [
      'maps that differ are not equal',
      { m: new Map([['a', 1]]) },
      { m: new Map([['a', 2]]) },
      [{ kind: 'changed', path: '$.m', before: new Map([['a', 1]]), after: new Map([['a', 2]]) }],
    ],
    ['sets that differ', new Set([1]), new Set([2]), [{ kind: 'changed', path: '$', before: new Set([1]), after: new Set([2]) }]],
    [
      'class instances are walked by key',
      new (class P {
        qty = 1;
        px = 2;
      })(),
      { qty: 1, px: 3 },
      [{ kind: 'changed', path: '$.px', before: 2, after: 3 }],
    ],
  ];
  it.each(cases)('%s', (_name, before, after, expected, options) => {
    expect(diff(before, after, options)).toEqual(expected);
  });
});
