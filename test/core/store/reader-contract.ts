import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventReader, LogInspector, NewEvent, StoredEvent } from '../../../src-core';
import { isCorruptEvent } from '../../../src-core';

/**
 * One suite every EventReader implementation runs (SQLite now, PostgreSQL on the scale path),
 * with the inspection methods tools use instead of a connection (LogInspector).
 * The factory receives the fixture events (already in append order) and returns a reader
 * over a log holding exactly them.
 */
export type ReaderFactory = (events: NewEvent[]) => Promise<{ reader: EventReader & LogInspector; cleanup: () => Promise<void> | void }>;

const T0 = Date.UTC(2026, 0, 5, 14, 30);

export function fixtureEvents(): NewEvent[] {
  const events: NewEvent[] = [];
  for (let i = 0; i < 30; i++) {
    const agg = `acct-${i % 3}`;
    events.push({
      event_type: i % 5 === 0 ? 'DEPOSITED' : 'WITHDRAWN',
      aggregate_type: 'account',
      aggregate_id: agg,
      payload: { amount: i, note: i === 7 ? 'Needle in the haystack' : `n${i}` },
      metadata: { source: 'test', correlation_id: `corr-${i % 4}` },
      created_at: T0 + i * 1000,
    });
  }
  return events;
}

export function describeEventReaderContract(name: string, factory: ReaderFactory): void {
  describe(`EventReader contract: ${name}`, () => {
    let reader: EventReader & LogInspector;
    let cleanup: () => Promise<void> | void;
    const fixture = fixtureEvents();

    beforeAll(async () => {
      ({ reader, cleanup } = await factory(fixture));
    });
    afterAll(async () => {
      await cleanup?.();
    });

    it('reads an aggregate in sequence order, gap-free from 1', async () => {
      const events = (await reader.readAggregate('account', 'acct-1')) as StoredEvent[];
      expect(events.map((e) => e.sequence_number)).toEqual([...Array(10).keys()].map((i) => i + 1));
      expect(events.map((e) => e.payload.amount)).toEqual([1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
      expect(events[0]!.metadata.correlation_id).toBe('corr-1');
      expect(events[0]!.created_at).toBe(T0 + 1000);
    });

    it('reads an aggregate range by sequence and by time', async () => {
      const mid = (await reader.readAggregate('account', 'acct-0', { fromSequence: 3, toSequence: 5 })) as StoredEvent[];
      expect(mid.map((e) => e.sequence_number)).toEqual([3, 4, 5]);
      const early = await reader.readAggregate('account', 'acct-0', { untilTime: T0 + 6000 });
      expect(early).toHaveLength(3); // amounts 0, 3, 6
    });

    it('pages the global stream with a keyset cursor, forward and backward, without gaps or repeats', async () => {
      const seen: number[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await reader.readPage({}, { after, limit: 7 });
        seen.push(...page.records.map((r) => r.position));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toHaveLength(30);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      expect(new Set(seen).size).toBe(30);
      const back = await reader.readPage({}, { limit: 5, direction: 'backward' });
      expect(back.records.map((r) => r.position)).toEqual(seen.slice(-5).reverse());
      const amounts = (await reader.readPage({}, { limit: 30 })).records.map((r) => (r as StoredEvent).payload.amount);
      expect(amounts).toEqual([...Array(30).keys()]);
    });

    it('filters by type, aggregate, time, correlation and payload text', async () => {
      const deposits = await reader.readPage({ types: ['DEPOSITED'] }, { limit: 100 });
      expect(deposits.records).toHaveLength(6);
      const agg = await reader.readPage({ aggregateType: 'account', aggregateId: 'acct-2' }, { limit: 100 });
      expect(agg.records).toHaveLength(10);
      const window = await reader.readPage({ since: T0 + 10_000, until: T0 + 14_000 }, { limit: 100 });
      expect(window.records.map((r) => (r as StoredEvent).payload.amount)).toEqual([10, 11, 12, 13, 14]);
      const corr = await reader.readPage({ correlationId: 'corr-3' }, { limit: 100 });
      expect(corr.records.map((r) => (r as StoredEvent).payload.amount)).toEqual([3, 7, 11, 15, 19, 23, 27]);
      const text = await reader.readPage({ text: 'needle' }, { limit: 100 });
      expect(text.records.map((r) => (r as StoredEvent).payload.amount)).toEqual([7]);
    });

    it('reads by correlation id in global order, and single events by id', async () => {
      const corr = (await reader.readByCorrelation('corr-0')) as StoredEvent[];
      expect(corr.map((e) => e.payload.amount)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
      const one = await reader.getEvent(corr[2]!.event_id);
      expect(one && !isCorruptEvent(one) && one.payload.amount).toBe(8);
      expect(await reader.getEvent('00000000-0000-0000-0000-000000000000')).toBeNull();
    });

    it('reports versions, aggregates and stats', async () => {
      expect(await reader.aggregateVersion('account', 'acct-0')).toBe(10);
      expect(await reader.aggregateVersion('account', 'nope')).toBe(0);
      const aggregates = await reader.listAggregates({ aggregateType: 'account' });
      expect(aggregates.map((a) => [a.aggregate_id, a.version, a.events])).toEqual([
        ['acct-0', 10, 10],
        ['acct-1', 10, 10],
        ['acct-2', 10, 10],
      ]);
      expect(aggregates[2]!.last_event_type).toBe('WITHDRAWN');
      const stats = await reader.stats();
      expect(stats.total).toBe(30);
      expect(stats.byType).toEqual({ DEPOSITED: 6, WITHDRAWN: 24 });
      expect(stats.byAggregateType).toEqual({ account: 30 });
      expect(stats.aggregates).toBe(3);
      expect(stats.firstAt).toBe(T0);
      expect(stats.lastAt).toBe(T0 + 29_000);
      expect(stats.corrupt).toBe(0);
      expect(await reader.headPosition()).toBeGreaterThanOrEqual(30);
    });

    it('inspection: raw batches by position, as stored, with the correlation id and a validity flag', async () => {
      const stream = (await reader.readPage({}, { limit: 100 })).records as StoredEvent[];
      const raw = [];
      let after = 0;
      for (;;) {
        const batch = await reader.readRawBatch(after, 8);
        if (batch.length === 0) break;
        raw.push(...batch);
        after = batch[batch.length - 1]!.position;
      }
      expect(raw.map((r) => [r.position, r.event_id])).toEqual(stream.map((e) => [e.position, e.event_id]));
      expect(raw.every((r) => r.json_ok === 1)).toBe(true);
      expect(raw.map((r) => r.correlation_id)).toEqual(stream.map((e) => e.metadata.correlation_id));
      expect(typeof raw[7]!.payload).toBe('string');
      expect(JSON.parse(raw[7]!.payload)).toEqual(stream[7]!.payload);
      expect(await reader.readRawBatch(stream[29]!.position, 8)).toEqual([]);
    });

    it('inspection: no corrupt rows, a sound integrity check, gap-free sequences, no snapshots', async () => {
      expect(await reader.corruptRows({ limit: 10 })).toEqual({ records: [], next: null });
      const integrity = await reader.integrityCheck();
      expect(integrity).toMatchObject({ ok: true, lines: ['ok'] });
      expect(integrity.check).toMatch(/SQLite|PostgreSQL/);
      expect(await reader.checkSequences()).toEqual({ aggregates: 3, problems: [] });
      expect(await reader.snapshotKeys()).toEqual([]);
    });
  });
}
