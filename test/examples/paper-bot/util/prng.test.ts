import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../examples/paper-bot/util/prng';
import { RunIds } from '../../../../examples/paper-bot/util/ids';

describe('Prng', () => {
  it('replays the same stream for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('keeps draws in range and roughly uniform', () => {
    const rng = new Prng('range');
    const buckets = new Array<number>(10).fill(0);
    const xs: number[] = [];
    const ints = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      xs.push(x);
      buckets[Math.floor(x * 10)]! += 1;
      ints.add(rng.int(3, 5));
    }
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect([...ints].sort()).toEqual([3, 4, 5]);
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });

  it('gives forks their own streams: drawing from one does not shift another', () => {
    const root1 = new Prng(7);
    const root2 = new Prng(7);
    const market1 = root1.fork('market');
    const broker2 = root2.fork('broker');
    for (let i = 0; i < 100; i++) broker2.next();
    const market2 = root2.fork('market');
    expect(Array.from({ length: 5 }, () => market2.next())).toEqual(Array.from({ length: 5 }, () => market1.next()));
    expect(new Prng(7).fork('a').next()).not.toEqual(new Prng(7).fork('b').next());
  });

  it('draws normals with mean ~0 and sd ~1', () => {
    const rng = new Prng('normal');
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 1)).toBeLessThan(0.05);
  });
});

describe('RunIds', () => {
  it('prefixes every id with the run id and counts per kind', () => {
    const ids = new RunIds('r7');
    expect(ids.next('ord')).toBe('r7-ord-0001');
    expect(ids.next('ord')).toBe('r7-ord-0002');
    expect(ids.next('pos')).toBe('r7-pos-0001');
    expect(ids.riskBook()).toBe('r7-risk');
  });
});
