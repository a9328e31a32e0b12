import { describe, expect, it } from 'vitest';
import { AsyncCausalContext, prepareEvent, UuidV7Generator } from '../../../src-core';

const base = { event_type: 'T', aggregate_type: 'thing', aggregate_id: 't', payload: { n: 1 } };

describe('prepareEvent', () => {
  it("completes the seed's metadata keys after the writer's own, in the writer's order, and the writer's values win", () => {
    const metadata = prepareEvent({ ...base, metadata: { desk: 'fx', version: '2.0', source: 'bot' } }, { now: 5 }).metadata;
    expect(JSON.stringify(metadata)).toBe(
      '{"desk":"fx","version":"2.0","source":"bot","correlation_id":null,"causation_id":null,"user_id":null}',
    );
    expect(JSON.stringify(prepareEvent(base, { now: 5, version: '1.1' }).metadata)).toBe(
      '{"source":"catalyst-events","correlation_id":null,"causation_id":null,"user_id":null,"version":"1.1"}',
    );
  });

  it('takes the causal scope only where the writer gave no ids, and copies a `__proto__` key as data', () => {
    const causal = new AsyncCausalContext();
    const given = JSON.parse('{"__proto__": {"polluted": true}, "causation_id": "mine"}') as Record<string, unknown>;
    const metadata = causal.run(
      () => prepareEvent({ ...base, metadata: given }, { scope: causal.current(), previousId: 'prev' }).metadata,
      { correlationId: 'corr-1' },
    );
    expect(metadata).toMatchObject({ correlation_id: 'corr-1', causation_id: 'mine' });
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)[0]).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(metadata).not.toBe(given);
  });

  it('keeps a given id, time and expected version; makes the rest', () => {
    const ids = new UuidV7Generator();
    const a = prepareEvent({ ...base, created_at: 1_700_000_000_000, expected_version: 3 }, { ids, now: 9 });
    expect(a).toMatchObject({ created_at: 1_700_000_000_000, expected_version: 3 });
    expect(a.event_id).toMatch(/^018bcfe5-6800-7/); // the id's time prefix is created_at's
    const b = prepareEvent({ ...base, event_id: 'given' }, { now: 9 });
    expect(b).toMatchObject({ event_id: 'given', created_at: 9 });
    expect('expected_version' in b).toBe(false);
  });
});
