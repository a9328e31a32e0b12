import type { EventRecord, StoredEvent } from '../events/types';
import { isCorruptEvent } from '../events/types';
import { UnknownTypeError } from '../errors';
import { foldRecords, type UpcastSource } from '../rebuild/fold';
import type { AggregateRange, EventFilter, EventPage, EventReader, PageRequest } from '../store/types';
import type { PluginHistory, RehydratedAggregate, ReducerDefinition } from './types';

/** The synchronous reads a local store (SQLite) offers beside its async EventReader. */
export interface SyncReads {
  readAggregateSync(aggregateType: string, aggregateId: string, range?: AggregateRange): EventRecord[];
  aggregateVersionSync(aggregateType: string, aggregateId: string): number;
  readPageSync(filter: EventFilter, page: PageRequest): EventPage;
}

export function syncReadsOf(reader: unknown): SyncReads | null {
  const r = reader as Partial<SyncReads> | null | undefined;
  return typeof r?.readAggregateSync === 'function' && typeof r.aggregateVersionSync === 'function' && typeof r.readPageSync === 'function'
    ? (r as SyncReads)
    : null;
}

/** Where `rebuild` finds the reducer of a type when the plugin passes none. */
export interface ReducerSource {
  get?(aggregateType: string): ReducerDefinition<unknown> | undefined;
  types?(): string[];
}

/** PluginContext.history over a store's synchronous reads (or empty answers without them). */
export class StoreHistory implements PluginHistory {
  readonly available: boolean;

  constructor(
    private readonly reads: SyncReads | null,
    private readonly reducers: ReducerSource,
    private readonly upcaster: UpcastSource | undefined,
  ) {
    this.available = reads !== null;
  }

  events(aggregateType: string, aggregateId: string, range?: AggregateRange): StoredEvent[] {
    if (this.reads === null) return [];
    return this.readable(this.reads.readAggregateSync(aggregateType, aggregateId, range));
  }

  version(aggregateType: string, aggregateId: string): number {
    return this.reads === null ? 0 : this.reads.aggregateVersionSync(aggregateType, aggregateId);
  }

  last(aggregateType: string, aggregateId: string): StoredEvent | null {
    const version = this.version(aggregateType, aggregateId);
    if (version === 0) return null;
    return this.events(aggregateType, aggregateId, { fromSequence: version, toSequence: version })[0] ?? null;
  }

  rebuild<S>(aggregateType: string, aggregateId: string, reducer?: ReducerDefinition<S>): RehydratedAggregate<S> | null {
    const fold = reducer ?? (this.reducers.get?.(aggregateType) as ReducerDefinition<S> | undefined);
    if (fold === undefined) throw new UnknownTypeError('aggregate', aggregateType, this.reducers.types?.() ?? []);
    if (this.reads === null) return null;
    const records = this.reads.readAggregateSync(aggregateType, aggregateId);
    if (records.length === 0) return null;
    const folded = foldRecords(fold, { state: fold.initialState(aggregateId), version: 0, lastEvent: null }, records, {
      upcaster: this.upcaster,
    });
    if (folded.lastEvent === null) return null; // nothing but corrupt rows
    return { state: folded.state, version: folded.version, lastEvent: folded.lastEvent, anomalies: folded.anomalies };
  }

  page(filter: EventFilter, page: PageRequest): EventPage {
    if (this.reads === null) return { records: [], next: null };
    const found = this.reads.readPageSync(filter, page);
    return { records: found.records.map((r) => (isCorruptEvent(r) ? r : this.upcast(r))), next: found.next };
  }

  private readable(records: readonly EventRecord[]): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const record of records) if (!isCorruptEvent(record)) out.push(this.upcast(record));
    return out;
  }

  private upcast(event: StoredEvent): StoredEvent {
    if (typeof this.upcaster?.upcast !== 'function') return event;
    try {
      return this.upcaster.upcast(event);
    } catch {
      return event; // as stored: the rebuilder reports such an event, a handler just reads it
    }
  }
}

/** A loader built without a store (a registry-only test, a tool): an empty log. */
export function emptyReader(): EventReader {
  return Object.freeze({
    readOnly: true,
    readAggregate: () => Promise.resolve([]),
    readPage: () => Promise.resolve({ records: [], next: null }),
    readByCorrelation: () => Promise.resolve([]),
    getEvent: () => Promise.resolve(null),
    aggregateVersion: () => Promise.resolve(0),
    listAggregates: () => Promise.resolve([]),
    stats: () =>
      Promise.resolve({
        total: 0,
        corrupt: 0,
        byType: {},
        byAggregateType: {},
        aggregates: 0,
        firstAt: null,
        lastAt: null,
        fileBytes: null,
        headPosition: 0,
      }),
    headPosition: () => Promise.resolve(0),
    close: () => {},
  });
}
