/**
 * The events browser's filter beyond what the store filters on: excluding event types (hide
 * price updates) and a ticker that finds every event of it, including fills and price
 * updates that name no ticker, through their aggregate. Plus exact counts.
 */
import type { EventRecord } from '../../src-core';
import type { EventFilter, EventReader, LogStats } from '../../src-core';
import type { CountView, EventQuery, EventsPage, EventsPageArgs, ExportFormat } from '../shared/api';
import { exportChunks, type ExportProgress } from './export-format';

export interface EventQueryDeps {
  reader: EventReader;
  /** The log's statistics (cached per head by the service): the type list and counts. */
  stats(): Promise<LogStats>;
  tickerOf(): Promise<(record: EventRecord) => string | null>;
}

/** Rows a ticker-filtered page may scan before it answers with what it found (and a cursor). */
const PAGE_SCAN_ROWS = 50_000;
const SCAN_CHUNK = 2_000;
/** Work budget of one exact count; past it the count is a lower bound (exact: false). */
const COUNT_BUDGET_MS = 5_000;

/** The store's filter for a query; null when it can match nothing (every type excluded). */
export async function storeFilter(query: EventQuery, deps: Pick<EventQueryDeps, 'stats'>): Promise<EventFilter | null> {
  const filter: EventFilter = {};
  if (query.types && query.types.length > 0) filter.types = query.types;
  if (query.aggregateType) filter.aggregateType = query.aggregateType;
  if (query.aggregateId) filter.aggregateId = query.aggregateId;
  if (query.correlationId) filter.correlationId = query.correlationId;
  if (query.since !== undefined) filter.since = query.since;
  if (query.until !== undefined) filter.until = query.until;
  if (query.text) filter.text = query.text;
  if (query.excludeTypes && query.excludeTypes.length > 0) {
    const excluded = new Set(query.excludeTypes);
    const candidates = filter.types ?? Object.keys((await deps.stats()).byType);
    const allowed = candidates.filter((t) => !excluded.has(t));
    if (allowed.length === 0) return null;
    filter.types = allowed;
  }
  return filter;
}

function tickerMatcher(ticker: string, tickerOf: (r: EventRecord) => string | null): (r: EventRecord) => boolean {
  const wanted = ticker.trim().toUpperCase();
  return (r) => (tickerOf(r) ?? '').toUpperCase() === wanted;
}

export async function pageEvents(deps: EventQueryDeps, args: EventsPageArgs): Promise<EventsPage> {
  // Head first: anything committed after it is "new" to the caller, never missed.
  const head = await deps.reader.headPosition();
  const filter = await storeFilter(args.filter, deps);
  if (filter === null) return { records: [], next: null, head };
  const request = { ...(args.after !== undefined ? { after: args.after } : {}), limit: args.limit, direction: args.direction };
  if (!args.filter.ticker) {
    const page = await deps.reader.readPage(filter, request);
    return { records: page.records, next: page.next, head };
  }
  const matches = tickerMatcher(args.filter.ticker, await deps.tickerOf());
  const records: EventRecord[] = [];
  let after = args.after;
  let scanned = 0;
  for (;;) {
    const page = await deps.reader.readPage(filter, {
      ...(after !== undefined ? { after } : {}),
      limit: SCAN_CHUNK,
      direction: args.direction,
    });
    for (const r of page.records) {
      if (!matches(r)) continue;
      records.push(r);
      if (records.length === args.limit) return { records, next: r.position, head };
    }
    scanned += page.records.length;
    if (page.next === null) return { records, next: null, head };
    after = page.next;
    // A rare ticker in a long log: answer with what was found and where to go on from.
    if (scanned >= PAGE_SCAN_ROWS) return { records, next: after, head };
  }
}

/** How many events match: from the statistics when the filter allows, else by one keyset scan. */
export async function countEvents(deps: EventQueryDeps, query: EventQuery): Promise<CountView> {
  const filter = await storeFilter(query, deps);
  if (filter === null) return { count: 0, exact: true };
  const keys = Object.keys(filter) as (keyof EventFilter)[];
  if (!query.ticker && keys.every((k) => k === 'types' || k === 'aggregateType') && !(filter.types && filter.aggregateType)) {
    const stats = await deps.stats();
    if (filter.types) return { count: filter.types.reduce((n, t) => n + (stats.byType[t] ?? 0), 0), exact: true };
    if (filter.aggregateType) return { count: stats.byAggregateType[filter.aggregateType] ?? 0, exact: true };
    return { count: stats.total, exact: true };
  }
  const matches = query.ticker ? tickerMatcher(query.ticker, await deps.tickerOf()) : () => true;
  const deadline = Date.now() + COUNT_BUDGET_MS;
  let count = 0;
  let after: number | undefined;
  for (;;) {
    const page = await deps.reader.readPage(filter, { ...(after !== undefined ? { after } : {}), limit: 5_000, direction: 'forward' });
    for (const r of page.records) if (matches(r)) count += 1;
    if (page.next === null) return { count, exact: true };
    after = page.next;
    if (Date.now() > deadline) return { count, exact: false };
  }
}

/** The export of a query (ticker and hidden types included), through the same paging as the list. */
export async function* exportQuery(
  deps: EventQueryDeps,
  query: EventQuery,
  format: ExportFormat,
  progress?: ExportProgress,
): AsyncGenerator<string> {
  const pages: Pick<EventReader, 'readPage'> = {
    readPage: async (_filter, page) => {
      const p = await pageEvents(deps, {
        filter: query,
        limit: page.limit,
        direction: 'forward',
        ...(page.after !== undefined ? { after: page.after } : {}),
      });
      return { records: p.records, next: p.next };
    },
  };
  // exportChunks reads only readPage.
  yield* exportChunks(pages as EventReader, {}, format, progress);
}
