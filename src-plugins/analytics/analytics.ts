/**
 * The entry points the CLI and the viewer's service call: each reads the source once
 * (one pass, filtered to what it needs) and returns JSON-ready results. `analyze` folds
 * everything in one pass for a caller that shows several views (the viewer).
 */
import { isCorruptEvent, type StoredEvent } from '../../src-core';
import { bookOf } from './book';
import { type AnalyticsFold, type FoldOptions } from './fold';
import { positionPnl } from './pnl-series';
import { performanceReport } from './report';
import { eventPages, foldSource, isPageReader, TYPES_FOR, type AnalyticsSource, type PageReader } from './source';
import { allTrades, checkQuery, filterTrades, type TradeQuery } from './trades';
import type { Book, DecisionAnalytics, PerformanceReport, PositionPnl, TradeRow, WhatIf } from './types';
import { whatIf } from './what-if';

export type AnalyticsOptions = Pick<FoldOptions, 'dayZone' | 'runIdOf' | 'curveBuckets'> & { pageSize?: number };

function foldOptions(options: AnalyticsOptions, extra: FoldOptions & { types?: readonly string[] }) {
  return { ...options, ...extra };
}

/** The trades blotter, filtered and sorted. An unknown ticker / run / exit reason throws NotInLogError. */
export async function loadTrades(source: AnalyticsSource, query: TradeQuery = {}, options: AnalyticsOptions = {}): Promise<TradeRow[]> {
  const fold = await foldSource(source, foldOptions(options, { decisions: false, types: TYPES_FOR.trades }));
  return tradesOf(fold, query);
}

/** Pure: the blotter off a fold (the viewer's live fold, or loadTrades'). */
export function tradesOf(fold: AnalyticsFold, query: TradeQuery = {}): TradeRow[] {
  const rows = allTrades(fold);
  checkQuery(query, rows);
  return filterTrades(rows, query);
}

export async function loadReport(source: AnalyticsSource, options: AnalyticsOptions = {}): Promise<PerformanceReport> {
  const fold = await foldSource(source, foldOptions(options, { decisions: false, types: TYPES_FOR.report }));
  return performanceReport(fold);
}

/**
 * The position's newest price update at or before `asOf`, if newer than the mark it has.
 * Asks by aggregate only (no type filter): without statistics SQLite would otherwise walk
 * the event-type index, which for price updates is most of the log.
 */
async function lastMark(reader: PageReader, fold: AnalyticsFold, positionId: string, markPosition: number, asOf: number): Promise<void> {
  let after: number | undefined;
  for (;;) {
    const page = await reader.readPage(
      { aggregateType: 'position', aggregateId: positionId, until: asOf },
      after === undefined ? { limit: 16, direction: 'backward' } : { after, limit: 16, direction: 'backward' },
    );
    for (const r of page.records) {
      if (r.position <= markPosition) return;
      if (!isCorruptEvent(r) && r.event_type === 'POSITION_PRICE_UPDATED') {
        fold.ledger.markFrom(r);
        return;
      }
    }
    if (page.next === null) return;
    after = page.next;
  }
}

const BOOK_WITHOUT_MARKS = TYPES_FOR.book.filter((t) => t !== 'POSITION_PRICE_UPDATED');

/**
 * The book as of `asOf` (Unix ms): one pass over the log up to that instant. Price updates
 * are the bulk of a trading log and the book needs only the last one of each position open
 * at the instant: from a single reader, the pass skips them and each open position's last
 * mark is one indexed look-up (its aggregate, newest first, limit 1) — not a rebuild.
 */
export async function loadBook(source: AnalyticsSource, asOf: number, options: AnalyticsOptions = {}): Promise<Book> {
  if (!isPageReader(source)) {
    return bookOf(await foldSource(source, foldOptions(options, { decisions: false, asOf, types: TYPES_FOR.book })), asOf);
  }
  const fold = await foldSource(source, foldOptions(options, { decisions: false, asOf, types: BOOK_WITHOUT_MARKS }));
  const open = [...fold.positions()].filter((p) => p.status === 'open');
  await Promise.all(open.map((p) => lastMark(source, fold, p.id, p.markPosition, asOf)));
  return bookOf(fold, asOf);
}

export interface DecisionResult {
  decisions: DecisionAnalytics;
  /** Present when a threshold was asked. */
  what_if: WhatIf | null;
}

export async function loadDecisions(
  source: AnalyticsSource,
  options: AnalyticsOptions & { threshold?: number } = {},
): Promise<DecisionResult> {
  const { threshold, ...rest } = options;
  const fold = await foldSource(source, foldOptions(rest, { decisions: true, types: TYPES_FOR.decisions }));
  return { decisions: fold.decisionAnalytics(), what_if: threshold === undefined ? null : whatIf(fold, threshold) };
}

/** Everything in one pass (no type filter): read trades, report, decisions, what-if and the book at the head off it. */
export async function analyze(source: AnalyticsSource, options: AnalyticsOptions & { asOf?: number } = {}): Promise<AnalyticsFold> {
  return foldSource(source, { ...options, decisions: true });
}

/**
 * One position's P&L story. `asOf` (for an open position's hold time) defaults to the last
 * event in the log. `found: false` for an id the log does not hold.
 */
export async function loadPositionPnl(
  reader: PageReader,
  positionId: string,
  options: { asOf?: number; pageSize?: number } = {},
): Promise<PositionPnl> {
  const events: StoredEvent[] = [];
  let corrupt = 0;
  for await (const page of eventPages(
    reader,
    { aggregate: { type: 'position', id: positionId }, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    (n) => (corrupt += n),
  )) {
    events.push(...page.events);
  }
  let asOf = options.asOf;
  if (asOf === undefined) {
    const head = await reader.readPage({}, { limit: 1, direction: 'backward' });
    asOf = head.records[0]?.created_at;
  }
  const result = positionPnl(positionId, events, asOf === undefined ? {} : { asOf });
  return { ...result, corrupt: result.corrupt + corrupt };
}

export { bookOf, performanceReport as reportOf, whatIf };
/** Pure: decision analytics off a fold created with decisions (the default). */
export function decisionsOf(fold: AnalyticsFold): DecisionAnalytics {
  return fold.decisionAnalytics();
}
