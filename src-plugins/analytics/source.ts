/**
 * Feeding the fold: any backend's keyset pages (SQLite, PostgreSQL: anything with the core
 * reader's `readPage`), several files in order, or a plain (async) iterable of events. A
 * reader is read page by page and each page folded synchronously, so a million events cost
 * a million `apply` calls, not a million awaits. Filters (event types, the as-of time) are
 * pushed down to the backend so rows the computation does not need are never parsed.
 */
import { isCorruptEvent, type EventFilter, type EventPage, type PageRequest, type StoredEvent } from '../../src-core';
import { DECISION_TYPES } from './decisions';
import { AnalyticsFold, type FoldOptions } from './fold';

/** The part of the core's EventReader analytics needs. */
export interface PageReader {
  readPage(filter: EventFilter, page: PageRequest): Promise<EventPage>;
}

/** A reader, several readers (files of one log, oldest first), or events already in hand. */
export type AnalyticsSource = PageReader | readonly PageReader[] | AsyncIterable<StoredEvent> | Iterable<StoredEvent>;

export const DEFAULT_PAGE_SIZE = 5000;

const POSITION_FILLS = ['POSITION_OPENED', 'POSITION_INCREASED', 'POSITION_REDUCED', 'POSITION_CLOSED'] as const;
const POSITION_ALL = [...POSITION_FILLS, 'POSITION_PRICE_UPDATED', 'POSITION_STOP_LOSS_MODIFIED', 'POSITION_TAKE_PROFIT_MODIFIED'] as const;

/** The event types each computation reads: what a reader is asked for. */
export const TYPES_FOR = {
  trades: [...POSITION_ALL, 'SIGNAL_GENERATED', 'ALERT_DECISION_MADE', 'ALERT_TRADE_EXECUTED'],
  report: [...POSITION_ALL, 'SIGNAL_GENERATED', 'ALERT_DECISION_MADE', 'ALERT_TRADE_EXECUTED'],
  book: [
    ...POSITION_ALL,
    'ORDER_SUBMITTED',
    'ORDER_ACCEPTED',
    'ORDER_PARTIALLY_FILLED',
    'ORDER_FILLED',
    'ORDER_REJECTED',
    'ORDER_CANCELLED',
    'ORDER_EXPIRED',
    'RISK_CHECK_PASSED',
    'RISK_CHECK_FAILED',
    'POSITION_LIMIT_WARNING',
    'POSITION_LIMIT_EXCEEDED',
    'DAILY_LOSS_LIMIT_WARNING',
    'DAILY_LOSS_LIMIT_EXCEEDED',
    'CIRCUIT_BREAKER_TRIGGERED',
    'CIRCUIT_BREAKER_RESET',
    'PORTFOLIO_SNAPSHOT_CREATED',
  ],
  decisions: [...new Set([...DECISION_TYPES, ...POSITION_FILLS])],
} as const satisfies Record<string, readonly string[]>;

export interface ReadOptions {
  /** Event types to ask the backend for (default: all). */
  types?: readonly string[];
  /** Only events with created_at <= until. */
  until?: number;
  /** Only one aggregate's events (its index drives the read). */
  aggregate?: { type: string; id: string };
  /** Start after this global position (a live fold continuing where it stopped). */
  after?: number;
  pageSize?: number;
}

export function isPageReader(source: unknown): source is PageReader {
  return typeof (source as PageReader).readPage === 'function';
}

/** Keyset pages of one reader, corrupt rows counted and left out. */
export async function* eventPages(
  reader: PageReader,
  options: ReadOptions = {},
  onCorrupt: (count: number) => void = () => {},
): AsyncGenerator<{ events: StoredEvent[]; last: number }> {
  const filter: EventFilter = {};
  if (options.types) filter.types = options.types;
  if (options.until !== undefined) filter.until = options.until;
  if (options.aggregate) {
    filter.aggregateType = options.aggregate.type;
    filter.aggregateId = options.aggregate.id;
  }
  let after = options.after;
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  for (;;) {
    const page = await reader.readPage(filter, after === undefined ? { limit } : { after, limit });
    const events: StoredEvent[] = [];
    let bad = 0;
    for (const r of page.records) {
      if (isCorruptEvent(r)) bad += 1;
      else events.push(r);
    }
    if (bad) onCorrupt(bad);
    const lastRecord = page.records[page.records.length - 1];
    if (lastRecord) yield { events, last: lastRecord.position };
    if (page.next === null) return;
    after = page.next;
  }
}

/** The log as one stream of events in global order (several readers: one after the other). */
export async function* eventStream(source: PageReader | readonly PageReader[], options: ReadOptions = {}): AsyncGenerator<StoredEvent> {
  const readers = isPageReader(source) ? [source] : source;
  for (const reader of readers) {
    for await (const page of eventPages(reader, options)) yield* page.events;
  }
}

export interface FoldSourceOptions extends FoldOptions, Omit<ReadOptions, 'until'> {}

/**
 * Folds a source into a fresh AnalyticsFold (or continues `into`). With a reader, `asOf`
 * becomes the backend's `until` filter and `types` its type filter.
 */
export async function foldSource(source: AnalyticsSource, options: FoldSourceOptions = {}, into?: AnalyticsFold): Promise<AnalyticsFold> {
  const fold = into ?? new AnalyticsFold(options);
  if (isPageReader(source) || Array.isArray(source)) {
    const readers = isPageReader(source) ? [source] : (source as readonly PageReader[]);
    const read: ReadOptions = {
      ...(options.types ? { types: options.types } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    };
    if (fold.asOf !== undefined) read.until = fold.asOf;
    for (const [i, reader] of readers.entries()) {
      // A live fold continues the last reader from its cursor.
      const after = i === readers.length - 1 ? (options.after ?? undefined) : undefined;
      for await (const page of eventPages(reader, after === undefined ? read : { ...read, after }, (n) => (fold.corrupt += n))) {
        fold.applyAll(page.events);
        fold.cursor = page.last;
      }
    }
    return fold;
  }
  if (Symbol.asyncIterator in (source as object)) {
    for await (const e of source as AsyncIterable<StoredEvent>) fold.apply(e);
  } else {
    for (const e of source as Iterable<StoredEvent>) fold.apply(e);
  }
  return fold;
}
