import 'reflect-metadata';
import { basename } from 'node:path';
import { inject, injectable } from 'tsyringe';
import { TOKENS } from '../../src-core';
import { CatalystError } from '../../src-core';
import type { EventRecord } from '../../src-core';
import { isCorruptEvent } from '../../src-core';
import { diff } from '../../src-core';
import { foldRecords, type FoldStart, type UpcastSource } from '../../src-core';
import type { RebuildOptions, RebuildResult, RebuildSteps, ReducerDefinition, StepsOptions } from '../../src-core';
import type { EventReader, LogStats } from '../../src-core';
import type {
  AggregateRow,
  AggregatesArgs,
  CorruptArgs,
  CorruptPage,
  DataChange,
  EventDetail,
  EventQuery,
  EventsPage,
  EventsPageArgs,
  ExportFormat,
  PnlArgs,
  PnlSeries,
  RebuildArgs,
  RebuildView,
  ReplayArgs,
  ReplayView,
  TraceArgs,
  TraceView,
  ViewerInfo,
  ViewerQueries,
  BookArgs,
  BookView,
  CountArgs,
  CountView,
  DecisionEventsArgs,
  DecisionEventsPage,
  DecisionsArgs,
  DecisionsView,
  PerformanceReport,
  ReplayPageArgs,
  ReplayPageView,
  TradesArgs,
  TradesView,
  ZoneArgs,
} from '../shared/api';
import type { CorruptRowFinder } from './corrupt-rows';
import { DataChangeWatcher, type DataVersionSource } from './data-change-watcher';
import type { ExportProgress } from './export-format';
import { buildPnlSeries } from './pnl-series';
import { AnalyticsQueries } from './analytics-queries';
import { countEvents, exportQuery, pageEvents, type EventQueryDeps } from './event-query';
import { replayPage } from './replay-page';
import { VIEWER_TOKENS } from './tokens';

/** What the viewer needs of the core's Rebuilder (token TOKENS.Rebuilder). */
export interface ViewerRebuilder {
  rebuild(aggregateType: string, aggregateId: string, options?: RebuildOptions): Promise<RebuildResult>;
  steps(aggregateType: string, aggregateId: string, options?: StepsOptions): Promise<RebuildSteps>;
}

/** What the viewer needs of the ReducerRegistry (token TOKENS.ReducerRegistry). */
export interface ViewerReducers {
  has(aggregateType: string): boolean;
  types(): string[];
  /** The reducer, or UnknownTypeError. */
  require(aggregateType: string): ReducerDefinition<unknown>;
}

export interface ViewerSource {
  file: string;
  backend: 'sqlite' | 'postgres';
  mode: 'electron' | 'served';
  canOpenFiles: boolean;
  plugins: { name: string; version: string }[];
}

export interface ViewerProbe {
  versions: DataVersionSource | null;
  corrupt: CorruptRowFinder;
  /** How often to poll for new events. */
  pollMs?: number;
}

/** Aggregates whose status is rebuilt per listing page; larger pages show the last event type only. */
const STATUS_REBUILD_LIMIT = 200;
/**
 * Replay folds the aggregate once, in chunks of this many events, giving the event loop back
 * between chunks: one long replay never holds up the other requests.
 */
const REPLAY_CHUNK = 500;
/** Work budget of one replay; past it the request fails (TOO_MUCH_WORK) instead of running on. */
const REPLAY_BUDGET_MS = 30_000;

/** A query that would take more than its budget: refused instead of holding the service. */
export class QueryBudgetError extends CatalystError {
  readonly code = 'TOO_MUCH_WORK';
  constructor(what: string, budgetMs: number) {
    super(`${what} needs more than its ${budgetMs / 1000} s budget; narrow it (a shorter range, a smaller aggregate)`);
  }
}

/** Lets queued requests (other HTTP clients, IPC calls) run before the next chunk. */
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function correlationOf(record: EventRecord): string | null {
  if (isCorruptEvent(record)) return null;
  const id = record.metadata.correlation_id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

function statusOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null) return null;
  const status = (state as { status?: unknown }).status;
  return typeof status === 'string' ? status : null;
}

/**
 * Every question the viewer asks of a log, as plain async methods: the Electron main process
 * serves them over IPC, the served mode over HTTP, and tests call them directly. Read-only by
 * construction: it holds a reader, a rebuilder over a read-only store, and nothing that writes.
 */
@injectable()
export class ViewerService implements ViewerQueries {
  private readonly watcher: DataChangeWatcher;
  /** Stats scan the whole log: computed once per head position. */
  private statsCache: { head: number; value: Promise<LogStats> } | null = null;
  /** The trader's book (analytics-queries.ts): the analytics module's functions over one live fold. */
  private readonly analytics: AnalyticsQueries;
  private readonly eventQuery: EventQueryDeps;

  constructor(
    @inject(TOKENS.EventReader) private readonly reader: EventReader,
    @inject(TOKENS.Rebuilder) private readonly rebuilder: ViewerRebuilder,
    @inject(TOKENS.ReducerRegistry) private readonly reducers: ViewerReducers,
    @inject(VIEWER_TOKENS.Source) private readonly source: ViewerSource,
    @inject(VIEWER_TOKENS.Probe) private readonly probe: ViewerProbe,
    @inject(TOKENS.SchemaRegistry) private readonly schemas: UpcastSource,
  ) {
    this.watcher = new DataChangeWatcher(probe.versions, reader, probe.pollMs ?? 500);
    this.analytics = new AnalyticsQueries(reader);
    this.eventQuery = { reader, stats: () => this.stats(), tickerOf: () => this.analytics.tickerResolver() };
  }

  async info(): Promise<ViewerInfo> {
    return {
      file: this.source.file,
      fileName: basename(this.source.file),
      backend: this.source.backend,
      readOnly: true,
      head: await this.reader.headPosition(),
      plugins: this.source.plugins,
      reducerTypes: this.reducers.types(),
      canOpenFiles: this.source.canOpenFiles,
      mode: this.source.mode,
    };
  }

  async eventsPage(args: EventsPageArgs): Promise<EventsPage> {
    return pageEvents(this.eventQuery, args);
  }

  async eventsCount(args: CountArgs): Promise<CountView> {
    return countEvents(this.eventQuery, args.filter);
  }

  async eventDetail(args: { eventId: string }): Promise<EventDetail | null> {
    const record = await this.reader.getEvent(args.eventId);
    if (!record) return null;
    const correlationId = correlationOf(record);
    const chain = correlationId ? await this.reader.readByCorrelation(correlationId) : [];
    const causeId = isCorruptEvent(record) ? null : record.metadata.causation_id;
    let cause: EventRecord | null = null;
    if (typeof causeId === 'string' && causeId.length > 0) {
      cause = chain.find((r) => r.event_id === causeId) ?? (await this.reader.getEvent(causeId));
    }
    const effects = chain.filter((r) => !isCorruptEvent(r) && r.metadata.causation_id === record.event_id);
    return {
      record,
      cause,
      effects,
      correlationSize: chain.length,
      aggregateVersion: await this.reader.aggregateVersion(record.aggregate_type, record.aggregate_id),
      replayable: this.reducers.has(record.aggregate_type),
    };
  }

  async aggregates(args: AggregatesArgs): Promise<AggregateRow[]> {
    const summaries = await this.reader.listAggregates({
      limit: args.limit,
      ...(args.aggregateType !== undefined ? { aggregateType: args.aggregateType } : {}),
      ...(args.afterId !== undefined ? { afterId: args.afterId } : {}),
    });
    const rows: AggregateRow[] = [];
    for (const summary of summaries) {
      let status: string | null = null;
      if (summaries.length <= STATUS_REBUILD_LIMIT && this.reducers.has(summary.aggregate_type)) {
        try {
          status = statusOf((await this.rebuilder.rebuild(summary.aggregate_type, summary.aggregate_id)).state);
        } catch {
          status = null; // one broken aggregate must not hide the list
        }
      }
      rows.push({ ...summary, status });
    }
    return rows;
  }

  async rebuild(args: RebuildArgs): Promise<RebuildView> {
    const options: RebuildOptions =
      args.asOfSequence !== undefined
        ? { asOfSequence: args.asOfSequence }
        : args.asOfTime !== undefined
          ? { asOfTime: args.asOfTime }
          : {};
    const result = await this.rebuilder.rebuild(args.aggregateType, args.aggregateId, options);
    return {
      aggregateType: result.aggregateType,
      aggregateId: result.aggregateId,
      state: result.state,
      version: result.version,
      exists: result.exists,
      lastEvent: result.lastEvent,
      anomalies: result.anomalies,
      corrupt: result.corrupt,
    };
  }

  async replay(args: ReplayArgs): Promise<ReplayView> {
    const events = await this.reader.readAggregate(args.aggregateType, args.aggregateId);
    const view: ReplayView = {
      aggregateType: args.aggregateType,
      aggregateId: args.aggregateId,
      hasReducer: this.reducers.has(args.aggregateType),
      initial: null,
      steps: [],
      events,
      corrupt: events.filter(isCorruptEvent),
    };
    if (!view.hasReducer) return view;
    // One fold over the events just read (never a re-fold per window), so the work is linear
    // in the aggregate's events whatever its sequence numbers say (a row at 9e15 included).
    const reducer = this.reducers.require(args.aggregateType);
    const deadline = Date.now() + REPLAY_BUDGET_MS;
    let at: FoldStart<unknown> = { state: structuredClone(reducer.initialState(args.aggregateId)), version: 0, lastEvent: null };
    view.initial = at.state;
    for (let from = 0; from < events.length; from += REPLAY_CHUNK) {
      if (from > 0) {
        await yieldToOthers();
        if (Date.now() > deadline) throw new QueryBudgetError(`replay of ${args.aggregateType} ${args.aggregateId}`, REPLAY_BUDGET_MS);
      }
      const chunk = events.slice(from, from + REPLAY_CHUNK);
      const folded = foldRecords(reducer, at, chunk, {
        upcaster: this.schemas,
        // States stay on the server: the renderer asks rebuild(asOfSequence) for the one it shows.
        onStep: (step) => {
          view.steps.push({
            index: view.steps.length,
            event: step.event,
            changes: diff(step.before, step.after),
            anomaly: step.anomaly ? `${step.anomaly.kind}: ${step.anomaly.reason}` : null,
          });
        },
      });
      // A corrupt last row still moves the expected sequence on, as one fold would.
      const last = chunk[chunk.length - 1];
      const version = last && isCorruptEvent(last) && last.sequence_number !== null ? last.sequence_number : folded.version;
      at = { state: folded.state, version, lastEvent: folded.lastEvent };
    }
    return view;
  }

  async pnlSeries(args: PnlArgs): Promise<PnlSeries> {
    const records = await this.reader.readAggregate('position', args.positionId);
    // An open position is held until the log's last event (as `show` and `trades` count it).
    const last = (await this.reader.readPage({}, { limit: 1, direction: 'backward' })).records[0];
    return buildPnlSeries(args.positionId, records, last?.created_at);
  }

  replayPage(args: ReplayPageArgs): Promise<ReplayPageView> {
    return replayPage({ reader: this.reader, rebuilder: this.rebuilder, reducers: this.reducers, schemas: this.schemas }, args);
  }

  trades(args: TradesArgs): Promise<TradesView> {
    return this.analytics.trades(args);
  }

  report(args: ZoneArgs): Promise<PerformanceReport> {
    return this.analytics.report(args ?? {});
  }

  book(args: BookArgs): Promise<BookView> {
    return this.analytics.book(args ?? {});
  }

  decisions(args: DecisionsArgs): Promise<DecisionsView> {
    return this.analytics.decisions(args ?? {});
  }

  decisionEvents(args: DecisionEventsArgs): Promise<DecisionEventsPage> {
    return this.analytics.decisionEvents(args);
  }

  async trace(args: TraceArgs): Promise<TraceView> {
    let correlationId = args.correlationId ?? null;
    if (args.eventId !== undefined) {
      const record = await this.reader.getEvent(args.eventId);
      if (!record) return { correlationId: null, records: [] };
      correlationId = correlationOf(record);
      if (!correlationId) return { correlationId: null, records: [record] };
    }
    if (!correlationId) return { correlationId: null, records: [] };
    return { correlationId, records: await this.reader.readByCorrelation(correlationId) };
  }

  async stats(): Promise<LogStats> {
    const head = await this.reader.headPosition();
    if (this.statsCache?.head !== head) {
      const value = this.reader.stats();
      this.statsCache = { head, value };
      value.catch(() => {
        if (this.statsCache?.value === value) this.statsCache = null;
      });
    }
    return this.statsCache.value;
  }

  async corruptRows(args: CorruptArgs): Promise<CorruptPage> {
    return this.probe.corrupt.page(args.after, args.limit);
  }

  /** The filter's events as CSV or NDJSON text chunks, oldest first; `progress.count` counts rows. */
  exportChunks(filter: EventQuery, format: ExportFormat, progress?: ExportProgress): AsyncGenerator<string> {
    return exportQuery(this.eventQuery, filter, format, progress);
  }

  onDataChanged(listener: (change: DataChange) => void): () => void {
    return this.watcher.subscribe(listener);
  }

  /** One poll for new events, now (tests and a manual refresh). */
  checkForChanges(): Promise<DataChange | null> {
    return this.watcher.check();
  }

  close(): void {
    this.watcher.stop();
  }
}
