/**
 * Analytics: the trader's book from the log — trades blotter, performance report, book as
 * of any time, decision analytics and what-if, one position's P&L — computed once, here,
 * for the CLI (`trades`, `report`, `book`) and the viewer alike. Plus the display helpers
 * (one time zone, numbers for people) both faces print with.
 *
 * Layers: a synchronous fold (AnalyticsFold.apply, O(1) per event) and pure read-offs
 * (tradesOf, reportOf, bookOf, decisionsOf, whatIf, positionPnl); async drivers
 * (loadTrades, loadReport, loadBook, loadDecisions, loadPositionPnl, analyze) feed it from
 * any reader's keyset pages, several files, or an iterable of events.
 */
export * from './types';
export * from './errors';
export { AnalyticsFold, type FoldOptions, type LiveOrder } from './fold';
export { defaultRunIdOf, type RunIdOf } from './ledger';
export { performanceFigures } from './report';
export { TRADE_COLUMNS, filterTrades, sortTrades, tradesCsv, checkQuery, type TradeQuery, type Outcome } from './trades';
export { positionPnl, type PositionPnlOptions } from './pnl-series';
export {
  eventStream,
  eventPages,
  foldSource,
  TYPES_FOR,
  DEFAULT_PAGE_SIZE,
  type PageReader,
  type AnalyticsSource,
  type ReadOptions,
  type FoldSourceOptions,
} from './source';
export {
  analyze,
  loadTrades,
  loadReport,
  loadBook,
  loadDecisions,
  loadPositionPnl,
  tradesOf,
  reportOf,
  bookOf,
  decisionsOf,
  whatIf,
  type AnalyticsOptions,
  type DecisionResult,
} from './analytics';
export * from './format';
