/**
 * The viewer's one API, as the renderer sees it. The Electron preload exposes it through
 * contextBridge; the served mode's bridge implements it over HTTP. The renderer imports
 * only the types from here (and `API_METHODS` is read by the bridges, not the renderer).
 */
import type { CorruptEvent, EventRecord, StoredEvent } from '../../src-core';
import type { AggregateSummary, EventFilter, LogStats } from '../../src-core';
import type {
  Book,
  BreakerTrip,
  DecisionAnalytics,
  DecisionBreakdown,
  EventRef,
  PerformanceFigures,
  PerformanceReport,
  PositionPnl,
  TradeColumn,
  TradeRow,
  WhatIf,
} from '../../src-plugins/analytics';

export type { CorruptEvent, EventRecord, StoredEvent, AggregateSummary, LogStats };
export type {
  Book,
  BreakerTrip,
  DecisionAnalytics,
  DecisionBreakdown,
  EventRef,
  PerformanceFigures,
  PerformanceReport,
  PositionPnl,
  TradeColumn,
  TradeRow,
  WhatIf,
};

/** The browser's filter: the store's EventFilter but `source`. Every field narrows; none means the whole log. */
export interface EventQuery extends Omit<EventFilter, 'types' | 'source'> {
  types?: string[];
  /** Every type but these (hide price updates). */
  excludeTypes?: string[];
  /** Every event of a ticker: those naming it and those of its aggregates (fills, price updates). */
  ticker?: string;
}

export interface ViewerInfo {
  file: string;
  fileName: string;
  backend: 'sqlite' | 'postgres';
  /** Always true: the viewer never writes the log. */
  readOnly: true;
  head: number;
  plugins: { name: string; version: string }[];
  /** Aggregate types that have a reducer: replay and rebuild work for these. */
  reducerTypes: string[];
  /** Electron can open other files; the served mode serves one. */
  canOpenFiles: boolean;
  mode: 'electron' | 'served';
}

export interface EventsPageArgs {
  filter: EventQuery;
  /** Keyset cursor (a global position): records after it in `direction`. */
  after?: number;
  limit: number;
  /** backward = newest first. */
  direction: 'forward' | 'backward';
}

export interface EventsPage {
  records: EventRecord[];
  /** Cursor for the next page, null at the end. */
  next: number | null;
  /** The log's head when the page was read: later events are "new". */
  head: number;
}

export interface EventDetail {
  record: EventRecord;
  /** The event named by metadata.causation_id, when it is in the log. */
  cause: EventRecord | null;
  /** Events whose causation_id is this event (within its correlation). */
  effects: EventRecord[];
  /** Events sharing this event's correlation id (0 without one). */
  correlationSize: number;
  /** The aggregate's current version, to say "step 3 of 12". */
  aggregateVersion: number;
  /** Whether a reducer exists for the aggregate type (replay is possible). */
  replayable: boolean;
}

export interface AggregatesArgs {
  aggregateType?: string;
  /** Keyset: aggregate ids after this one. */
  afterId?: string;
  limit: number;
}

export interface AggregateRow extends AggregateSummary {
  /** The reducer state's `status` when there is one, else null. */
  status: string | null;
}

export interface DiffChange {
  /** JSON path, `$` for the root (e.g. `$.stop_loss`, `$.price_history[3]`). */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface RebuildArgs {
  aggregateType: string;
  aggregateId: string;
  asOfSequence?: number;
  asOfTime?: number;
}

export interface RebuildView {
  aggregateType: string;
  aggregateId: string;
  state: unknown;
  version: number;
  exists: boolean;
  lastEvent: StoredEvent | null;
  anomalies: unknown[];
  corrupt: CorruptEvent[];
}

export interface ReplayArgs {
  aggregateType: string;
  aggregateId: string;
}

export interface ReplayStepView {
  index: number;
  event: StoredEvent;
  /** What the event changed in the state (the state itself: rebuild at event.sequence_number). */
  changes: DiffChange[];
  anomaly: string | null;
}

export interface ReplayView {
  aggregateType: string;
  aggregateId: string;
  hasReducer: boolean;
  initial: unknown;
  steps: ReplayStepView[];
  /** Every event of the aggregate (corrupt ones flagged), for aggregates without a reducer. */
  events: EventRecord[];
  corrupt: CorruptEvent[];
}

export interface PnlArgs {
  positionId: string;
}

export interface PnlPoint {
  t: number;
  sequence: number;
  price: number | null;
  unrealizedPnl: number | null;
  stopLoss: number | null;
  takeProfit: number | null;
}

export type PnlMarkerKind =
  'opened' | 'increased' | 'reduced' | 'stop_moved' | 'take_profit_moved' | 'stop_triggered' | 'take_profit_triggered' | 'closed';

export interface PnlMarker {
  t: number;
  sequence: number;
  kind: PnlMarkerKind;
  label: string;
  price: number | null;
  eventId: string;
}

export interface PnlSeries {
  positionId: string;
  ticker: string | null;
  side: string | null;
  entryPrice: number | null;
  status: 'open' | 'closed' | 'unknown';
  exitReason: string | null;
  realizedPnl: number | null;
  correlationId: string | null;
  points: PnlPoint[];
  markers: PnlMarker[];
  corrupt: number;
  /** The analytics module's figures for the position (the same `show position --json` gives). */
  pnl: Omit<PositionPnl, 'points' | 'markers'>;
  /** False for an id the log does not hold ("not found", not "no price history"). */
  found: boolean;
}

/** The display zone every analytics query buckets days in (UTC unless set). */
export interface ZoneArgs {
  zone?: string;
}

/** The blotter's filters and sort: the analytics module's TradeQuery, as plain data. */
export interface TradesArgs extends ZoneArgs {
  tickers?: string[];
  side?: 'long' | 'short';
  outcome?: 'won' | 'lost';
  exitReasons?: string[];
  status?: 'open' | 'closed';
  runs?: string[];
  since?: number;
  until?: number;
  sort?: TradeColumn;
  descending?: boolean;
}

export interface TradesView {
  rows: TradeRow[];
  /** Positions in the log before filtering. */
  total: number;
  /** What the filters can choose from. */
  tickers: string[];
  exitReasons: string[];
  runs: string[];
  asOf: string | null;
  head: number;
}

export interface BookArgs extends ZoneArgs {
  /** Unix ms; default the last event. */
  asOf?: number;
}

export interface BookView {
  book: Book;
  /** The session the time picker spans (first and last event). */
  firstAt: string | null;
  lastAt: string | null;
}

export interface DecisionsArgs extends ZoneArgs {
  /** A score threshold for the what-if. */
  threshold?: number;
}

export interface DecisionsView {
  decisions: DecisionAnalytics;
  whatIf: WhatIf | null;
  /** Each tally lists at most this many events here; decisionEvents pages through all of them. */
  eventsPerTally: number;
}

export type TallySection = 'by_decision' | 'by_skip_reason' | 'risk_failures' | 'rejections';

export interface DecisionEventsArgs extends ZoneArgs {
  section: TallySection;
  key: string;
  /** Narrow to one ticker's or one day's tally. */
  ticker?: string;
  day?: string;
  offset?: number;
  limit: number;
}

export interface DecisionEventsPage {
  total: number;
  records: EventRecord[];
}

export interface ReplayPageArgs {
  aggregateType: string;
  aggregateId: string;
  /** First step (0-based) of the page. */
  from: number;
  limit: number;
}

/** A window of a replay: diffs only for these steps, so a 100,000-event aggregate opens at once. */
export interface ReplayPageView {
  aggregateType: string;
  aggregateId: string;
  hasReducer: boolean;
  /** Steps in the whole replay (the aggregate's version). */
  total: number;
  from: number;
  steps: ReplayStepView[];
  /** Events of this window when there is no reducer (corrupt ones flagged). */
  events: EventRecord[];
  corrupt: CorruptEvent[];
}

export interface CountArgs {
  filter: EventQuery;
}

export interface CountView {
  count: number;
  /** False when the count stopped at its work budget (then `count` is a lower bound). */
  exact: boolean;
}

export interface TraceArgs {
  /** A correlation id, or an event id whose correlation to trace. */
  correlationId?: string;
  eventId?: string;
}

export interface TraceView {
  correlationId: string | null;
  records: EventRecord[];
}

export interface CorruptArgs {
  after?: number;
  limit: number;
}

export interface CorruptPage {
  records: CorruptEvent[];
  next: number | null;
}

export type ExportFormat = 'csv' | 'ndjson';

export interface ExportArgs {
  filter: EventQuery;
  format: ExportFormat;
}

export interface ExportOutcome {
  /** false when the user cancelled the save dialog. */
  started: boolean;
  path?: string;
  count?: number;
}

export interface RecentFile {
  path: string;
  openedAt: number;
}

export interface DataChange {
  head: number;
  /** How many events arrived since the previous notice. */
  added: number;
}

/** The queries every transport carries with the same arguments. */
export interface ViewerQueries {
  info(): Promise<ViewerInfo>;
  eventsPage(args: EventsPageArgs): Promise<EventsPage>;
  eventDetail(args: { eventId: string }): Promise<EventDetail | null>;
  aggregates(args: AggregatesArgs): Promise<AggregateRow[]>;
  rebuild(args: RebuildArgs): Promise<RebuildView>;
  replay(args: ReplayArgs): Promise<ReplayView>;
  pnlSeries(args: PnlArgs): Promise<PnlSeries>;
  trace(args: TraceArgs): Promise<TraceView>;
  stats(): Promise<LogStats>;
  corruptRows(args: CorruptArgs): Promise<CorruptPage>;
  trades(args: TradesArgs): Promise<TradesView>;
  report(args: ZoneArgs): Promise<PerformanceReport>;
  book(args: BookArgs): Promise<BookView>;
  decisions(args: DecisionsArgs): Promise<DecisionsView>;
  decisionEvents(args: DecisionEventsArgs): Promise<DecisionEventsPage>;
  replayPage(args: ReplayPageArgs): Promise<ReplayPageView>;
  eventsCount(args: CountArgs): Promise<CountView>;
}

/** What the renderer gets on `window.catalyst`. */
export interface CatalystApi extends ViewerQueries {
  /** Save the current filter's events (a save dialog in Electron, a download when served). */
  exportEvents(args: ExportArgs): Promise<ExportOutcome>;
  /** Electron only: pick a file to open. Null when cancelled. */
  openFile(): Promise<ViewerInfo | null>;
  recentFiles(): Promise<RecentFile[]>;
  openRecent(args: { path: string }): Promise<ViewerInfo>;
  /** Called when another process appended events. Returns the unsubscribe function. */
  onDataChanged(listener: (change: DataChange) => void): () => void;
}

export type QueryMethod = keyof ViewerQueries;

/** Every query method, for the bridges to build the API object from. */
export const QUERY_METHODS = [
  'info',
  'eventsPage',
  'eventDetail',
  'aggregates',
  'rebuild',
  'replay',
  'pnlSeries',
  'trace',
  'stats',
  'corruptRows',
  'trades',
  'report',
  'book',
  'decisions',
  'decisionEvents',
  'replayPage',
  'eventsCount',
] as const satisfies readonly QueryMethod[];

/** What every transport returns: errors cross the bridge as data, not as thrown objects. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** IPC channel names (main <-> preload). */
export const IPC = {
  query: 'catalyst:query',
  exportEvents: 'catalyst:export',
  openFile: 'catalyst:open-file',
  recentFiles: 'catalyst:recent-files',
  openRecent: 'catalyst:open-recent',
  dataChanged: 'catalyst:data-changed',
} as const;

/** The global the bridges install the API on. */
export const API_GLOBAL = 'catalyst';
