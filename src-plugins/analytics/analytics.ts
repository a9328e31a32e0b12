/**
 * The entry points the CLI and the viewer's service call: each reads the source once
 * (one pass, filtered to what it needs) and returns JSON-ready results. `analyze` folds
 * everything in one pass for a caller that shows several views (the viewer).
 */
import type { StoredEvent } from '../../src-core';
import { bookOf } from './book';
import { AnalyticsFold, type FoldOptions } from './fold';
import { positionPnl } from './pnl-series';
import { performanceReport } from './report';
import { eventPages, foldSource, TYPES_FOR, type AnalyticsSource, type PageReader } from './source';
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

/** The book as of `asOf` (Unix ms): one pass over the log up to that instant. */
export async function loadBook(source: AnalyticsSource, asOf: number, options: AnalyticsOptions = {}): Promise<Book> {
  const fold = await foldSource(source, foldOptions(options, { decisions: false, asOf, types: TYPES_FOR.book }));
  return bookOf(fold, asOf);
}

export interface DecisionResult {
  decisions: DecisionAnalytics;
  /** Present when a threshold was asked. */
  what_if: WhatIf | null;
}

export async function loadDecisions(source: AnalyticsSource, options: AnalyticsOptions & { threshold?: number } = {}): Promise<DecisionResult> {
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
export async function loadPositionPnl(reader: PageReader, positionId: string, options: { asOf?: number; pageSize?: number } = {}): Promise<PositionPnl> {
  const events: StoredEvent[] = [];
  let corrupt = 0;
  for await (const page of eventPages(reader, { aggregate: { type: 'position', id: positionId }, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }, (n) => (corrupt += n))) {
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
