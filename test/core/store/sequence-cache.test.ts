import { describe, expect, it } from 'vitest';
import { SequenceCache } from '../../../src-core/store/sqlite/append/sequence-cache';

describe('SequenceCache', () => {
  it('keeps one number per (type, id): the same id under two types is two aggregates', () => {
    const cache = new SequenceCache();
    cache.set('order', 'a', 1);
    cache.set('position', 'a', 7);
    cache.set('order', 'a', 2);
    expect(cache.get('order', 'a')).toBe(2);
    expect(cache.get('position', 'a')).toBe(7);
    expect(cache.get('alert', 'a')).toBeUndefined();
    expect(cache.size).toBe(2);
    cache.delete('order', 'a');
    cache.delete('order', 'a'); // twice: counted once
    expect(cache.size).toBe(1);
    expect(cache.get('order', 'a')).toBeUndefined();
  });

  it('starts over past its limit, and an update of a cached aggregate never does', () => {
    const cache = new SequenceCache(2);
    cache.set('order', 'a', 1);
    cache.set('order', 'b', 1);
    cache.set('order', 'a', 2); // an update: still two entries
    expect(cache.size).toBe(2);
    cache.set('risk', 'c', 1); // a third aggregate: the cache starts over with it
    expect(cache.size).toBe(1);
    expect(cache.get('order', 'a')).toBeUndefined();
    expect(cache.get('risk', 'c')).toBe(1);
  });

  it("advance: the cached last + 1, or the file's + 1 when not cached, recorded either way", () => {
    const cache = new SequenceCache();
    const reads: string[] = [];
    const read = (type: string, id: string) => {
      reads.push(`${type}:${id}`);
      return 41;
    };
    expect(cache.advance('order', 'a', read)).toBe(42);
    expect(cache.advance('order', 'a', read)).toBe(43);
    expect(cache.advance('risk', 'a', read)).toBe(42);
    expect(reads).toEqual(['order:a', 'risk:a']);
    expect(cache.get('order', 'a')).toBe(43);
    expect(cache.size).toBe(2);
  });

  it('advance starts over past the limit, and a read that throws records nothing', () => {
    const cache = new SequenceCache(1);
    cache.advance('order', 'a', () => 0);
    cache.advance('order', 'b', () => 0);
    expect(cache.size).toBe(1);
    expect(cache.get('order', 'a')).toBeUndefined();
    expect(() =>
      cache.advance('order', 'c', () => {
        throw new Error('not an integer');
      }),
    ).toThrow('not an integer');
    expect(cache.get('order', 'c')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
