import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src-core/clock/clock';
import { UuidV7Generator } from '../../../src-core/events/ids';
import type { PreparedEvent } from '../../../src-core/events/types';
import { toInsertRow } from '../../../src-core/store/sqlite/append/serialize';

const event = (metadata: Record<string, unknown>): PreparedEvent =>
  ({
    event_id: '0190c2a0-0000-7000-8000-000000000001',
    event_type: 'T',
    aggregate_type: 'thing',
    aggregate_id: 't1',
    payload: { a: 1 },
    metadata,
    created_at: 1,
  }) as unknown as PreparedEvent;

/** The metadata text is built from its five values when it has just the seed's keys: it must be JSON.stringify's, byte for byte. */
describe('toInsertRow: the metadata text', () => {
  const seed = { source: 'bot', correlation_id: 'c-1', causation_id: null, user_id: null, version: '1.0' };
  it.each([
    ['the seed keys', seed],
    ['text that needs escapes', { ...seed, source: 'a "quoted"\\ \n\t\u0001 é 𝄞 \u2028', user_id: '</script>' }],
    ['every id null', { ...seed, correlation_id: null }],
    ['a key of its own', { ...seed, strategy: 'breakout' }],
    ['the keys in another order', { version: '1.0', source: 'bot', correlation_id: null, causation_id: null, user_id: null }],
    ['a number where text goes', { ...seed, user_id: 42 }],
    ['fewer keys', { source: 'bot', version: '1.0' }],
  ])('%s', (_what, metadata) => {
    const row = toInsertRow(event(metadata), new ManualClock(1), new UuidV7Generator());
    expect(row.metadataJson).toBe(JSON.stringify(metadata));
  });
});
