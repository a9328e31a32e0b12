/**
 * The viewer's analytics queries: the trades blotter, the performance report, the book as of
 * a time and the decision analytics, answered by the analytics module's own functions (the
 * ones the CLI's `trades`, `report` and `book` call), so the two faces can never disagree.
 *
 * One live fold per display zone is kept and continued from its cursor when the bot has
 * written more (one pass over the log in all, then only the new events); the book as of a
 * time is one pass up to that instant (loadBook), never a rebuild per aggregate.
 */
import {
  type AnalyticsFold,
  TimeZone,
  decisionsOf,
  foldSource,
  loadBook,
  reportOf,
  tradesOf,
  whatIf,
  type DecisionBreakdown,
  type PerformanceReport,
  type Tally,
  type TradeQuery,
} from '../../src-plugins/analytics';
import type { EventReader } from '../../src-core';
import type {
  BookArgs,
  BookView,
  DecisionEventsArgs,
  DecisionEventsPage,
  DecisionsArgs,
  DecisionsView,
  EventRecord,
  TradesArgs,
  TradesView,
  ZoneArgs,
} from '../shared/api';

/** Events listed per tally in the overview; the rest are paged by decisionEvents. */
export const EVENTS_PER_TALLY = 50;

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function trimBreakdown(b: DecisionBreakdown): DecisionBreakdown {
  const trim = (tallies: Record<string, Tally>): Record<string, Tally> =>
    Object.fromEntries(Object.entries(tallies).map(([k, t]) => [k, { count: t.count, events: t.events.slice(0, EVENTS_PER_TALLY) }]));
  return {
    by_decision: trim(b.by_decision),
    by_skip_reason: trim(b.by_skip_reason),
    risk_failures: trim(b.risk_failures),
    rejections: trim(b.rejections),
  };
}

function tradeQuery(args: TradesArgs): TradeQuery {
  const q: TradeQuery = {};
  if (args.tickers?.length) q.tickers = args.tickers;
  if (args.side) q.side = args.side;
  if (args.outcome) q.outcome = args.outcome;
  if (args.exitReasons?.length) q.exitReasons = args.exitReasons;
  if (args.status) q.status = args.status;
  if (args.runs?.length) q.runs = args.runs;
  if (args.since !== undefined) q.since = args.since;
  if (args.until !== undefined) q.until = args.until;
  if (args.sort) q.sort = args.sort;
  if (args.descending !== undefined) q.descending = args.descending;
  return q;
}

const distinct = (values: (string | null)[]): string[] => [...new Set(values.filter((v): v is string => v !== null))].sort();

export class AnalyticsQueries {
  private live: { zone: string; fold: AnalyticsFold } | null = null;
  /** Requests continue the one live fold one after the other (two at once would fold twice). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly reader: EventReader) {}

  /** The live fold in `zone`, caught up with the log's head. */
  private fold(zoneName: string | undefined): Promise<AnalyticsFold> {
    const zone = TimeZone.of(zoneName); // an unknown zone fails here, before any read
    const run = this.queue.then(() => this.advance(zone));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async advance(zone: TimeZone): Promise<AnalyticsFold> {
    if (this.live?.zone !== zone.name) {
      this.live = null;
      const fold = await foldSource(this.reader, { dayZone: zone, decisions: true });
      this.live = { zone: zone.name, fold };
      return fold;
    }
    const fold = this.live.fold;
    const head = await this.reader.headPosition();
    if (fold.cursor === null || head > fold.cursor) {
      try {
        await foldSource(this.reader, fold.cursor === null ? {} : { after: fold.cursor }, fold);
      } catch (error) {
        this.live = null; // half a page folded: start over next time
        throw error;
      }
    }
    return fold;
  }

  /**
   * Which ticker an event belongs to: its payload's, else its aggregate's (a fill, a price
   * update), else its subject's (a risk check on a signal or order). From the live fold's
   * lookups, caught up with the log.
   */
  async tickerResolver(): Promise<(record: EventRecord) => string | null> {
    const fold = await this.fold(this.live?.zone);
    return (record) => {
      if ('corrupt' in record) return null;
      const own = record.payload.ticker;
      if (typeof own === 'string' && own.length > 0) return own;
      const id = record.aggregate_id;
      switch (record.aggregate_type) {
        case 'position':
          return fold.ledger.positions.get(id)?.ticker ?? null;
        case 'order':
          return fold.orderTicker.get(id) ?? null;
        case 'signal':
          return fold.signalTicker.get(id) ?? null;
        case 'alert':
          return fold.alertTicker.get(id) ?? null;
        default: {
          const subject = record.payload.subject ?? record.payload.signal_id ?? record.payload.order_id;
          if (typeof subject !== 'string') return null;
          return fold.signalTicker.get(subject) ?? fold.orderTicker.get(subject) ?? null;
        }
      }
    };
  }

  async trades(args: TradesArgs): Promise<TradesView> {
    const fold = await this.fold(args.zone);
    const all = tradesOf(fold);
    // tradesOf checks the query against the log: an unknown ticker is NOT_IN_LOG, not an empty table.
    const rows = tradesOf(fold, tradeQuery(args));
    return {
      rows,
      total: all.length,
      tickers: distinct(all.map((r) => r.ticker)),
      exitReasons: distinct(all.map((r) => r.exit_reason)),
      runs: distinct(all.map((r) => r.run_id)),
      asOf: isoOrNull(fold.lastAt),
      head: fold.cursor ?? 0,
    };
  }

  async report(args: ZoneArgs): Promise<PerformanceReport> {
    return reportOf(await this.fold(args.zone));
  }

  async book(args: BookArgs): Promise<BookView> {
    const fold = await this.fold(args.zone);
    const asOf = args.asOf ?? fold.lastAt ?? Date.now();
    const book = await loadBook(this.reader, asOf, { dayZone: TimeZone.of(args.zone) });
    return { book, firstAt: isoOrNull(fold.firstAt), lastAt: isoOrNull(fold.lastAt) };
  }

  async decisions(args: DecisionsArgs): Promise<DecisionsView> {
    const fold = await this.fold(args.zone);
    const d = decisionsOf(fold);
    return {
      decisions: {
        ...d,
        ...trimBreakdown(d),
        by_ticker: Object.fromEntries(Object.entries(d.by_ticker).map(([k, b]) => [k, trimBreakdown(b)])),
        by_day: Object.fromEntries(Object.entries(d.by_day).map(([k, b]) => [k, trimBreakdown(b)])),
      },
      whatIf: args.threshold === undefined ? null : whatIf(fold, args.threshold),
      eventsPerTally: EVENTS_PER_TALLY,
    };
  }

  /** The events behind one count, a page at a time. */
  async decisionEvents(args: DecisionEventsArgs): Promise<DecisionEventsPage> {
    const d = decisionsOf(await this.fold(args.zone));
    const breakdown = args.ticker !== undefined ? d.by_ticker[args.ticker] : args.day !== undefined ? d.by_day[args.day] : d;
    const tally = breakdown?.[args.section][args.key];
    if (!tally) return { total: 0, records: [] };
    const offset = args.offset ?? 0;
    const refs = tally.events.slice(offset, offset + args.limit);
    const records = (await Promise.all(refs.map((r) => this.reader.getEvent(r.event_id)))).filter((r): r is EventRecord => r !== null);
    return { total: tally.count, records };
  }
}
