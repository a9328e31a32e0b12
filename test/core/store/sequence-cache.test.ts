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

  it('lists every entry', () => {
    const cache = new SequenceCache();
    cache.set('order', 'a', 3);
    cache.set('risk', 'book', 9);
    const seen: string[] = [];
    cache.forEach((type, id, sequence) => seen.push(`${type}:${id}=${sequence}`));
    expect(seen.sort()).toEqual(['order:a=3', 'risk:book=9']);
  });
});
