import { describe, expect, it } from 'vitest';
import { AsyncCausalContext } from '../../../src-core';
import { ChainRegistry } from '../../../src-core/causality/chain-registry';

const event = (id: string, n: number) => ({
  aggregate_type: 'thing',
  aggregate_id: id,
  event_id: `${id}-${n}`,
  metadata: { source: 't', correlation_id: `corr-${id}`, causation_id: null, user_id: null, version: '1.0' },
});

describe('ChainRegistry eviction (second chance over insertion order)', () => {
  it('keeps a chain that moved since it was placed and drops the one that did not', () => {
    const reads: string[] = [];
    const chains = new ChainRegistry(new AsyncCausalContext(), (_type, id) => (reads.push(id), null), 2);
    chains.observe(event('a', 1));
    chains.observe(event('b', 1));
    chains.observe(event('a', 2)); // a moves on: updated in place, not re-inserted
    chains.observe(event('c', 1)); // over capacity: b, unmoved since placed, goes; a gets its second chance
    expect(chains.size).toBe(2);
    expect(chains.find([chains.ref('thing', 'a')])).toEqual({ correlationId: 'corr-a', lastEventId: 'a-2' });
    expect(chains.find([chains.ref('thing', 'c')])?.lastEventId).toBe('c-1');
    expect(reads).toEqual([]);
    // b was evicted: it is looked up in the log (which here has nothing for it).
    expect(chains.find([chains.ref('thing', 'b')])).toBeUndefined();
    expect(reads).toEqual(['b']);
  });

  it('never holds more than its capacity however the chains move', () => {
    const chains = new ChainRegistry(new AsyncCausalContext(), () => null, 3);
    for (let i = 0; i < 200; i++) {
      chains.observe(event(`k${i % 7}`, i));
      chains.observe(event('hot', i)); // moved on every turn: never the one dropped
      expect(chains.size).toBeLessThanOrEqual(3);
    }
    expect(chains.find([chains.ref('thing', 'hot')])?.lastEventId).toBe('hot-199');
  });
});
