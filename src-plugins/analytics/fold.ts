/**
 * The one computation: a synchronous fold over events in global order. Every figure the
 * blotter, report, book and decision analytics show is read off its state, so the CLI and
 * the viewer (which both feed it) cannot disagree. O(1) work per event; memory is one record
 * per position, per working order, per signal and per alert, never a history.
 */
import type { StoredEvent } from '../../src-core';
import { DecisionCollector, refOf, type AlertDecisionRecord } from './decisions';
import { Drawdown, EquityCurve } from './equity';
import { defaultRunIdOf, PositionLedger, type LedgerChange, type LedgerPosition, type RunIdOf } from './ledger';
import { DayBuckets, TimeZone } from './time-zone';
import type { BreakerTrip, DecisionAnalytics } from './types';
import { num, str } from './values';

export interface FoldOptions {
  /** The zone days are cut in (by-day figures, "today" for the daily loss). Default UTC. */
  dayZone?: TimeZone;
  /** Only events with created_at <= asOf count (the book as of a time). */
  asOf?: number;
  /** Collect decision analytics (tallies with their events). Default true. */
  decisions?: boolean;
  /** How a position's run id is found. Default: metadata.run_id, else the `<run>-pos-N` id prefix. */
  runIdOf?: RunIdOf;
  /** Upper bound on equity-curve buckets. Default 2000. */
  curveBuckets?: number;
}

export interface LiveOrder {
  order_id: string;
  ticker: string | null;
  side: string | null;
  order_type: string | null;
  quantity: number | null;
  filled: number;
  limit_price: number | null;
  stop_price: number | null;
  status: string;
  submitted_at: number;
  signal_id: string | null;
}

const TERMINAL = new Set(['ORDER_FILLED', 'ORDER_REJECTED', 'ORDER_CANCELLED', 'ORDER_EXPIRED']);

export class AnalyticsFold {
  readonly dayZone: TimeZone;
  readonly asOf: number | undefined;
  readonly ledger: PositionLedger;
  /** Events applied (after the as-of cut), and the corrupt rows skipped. */
  events = 0;
  corrupt = 0;
  firstAt: number | null = null;
  lastAt: number | null = null;
  /** The last global position a reader driver read (to continue a live fold from). */
  cursor: number | null = null;

  // lookups that link a position back to its signal and alert
  readonly signalAlert = new Map<string, string>();
  readonly signalTicker = new Map<string, string>();
  readonly alertTicker = new Map<string, string>();
  readonly orderTicker = new Map<string, string>();

  // marked-to-market equity: the book, each ticker, each day
  readonly equity = new Drawdown();
  realized = 0;
  readonly tickerEquity = new Map<string, Drawdown>();
  readonly dayEquity = new Map<string, Drawdown>();
  readonly curve: EquityCurve;
  private readonly days: DayBuckets;
  private currentDay = '';

  /** Net realized P&L by day (in dayZone) of the fill that realized it. */
  readonly realizedByDay = new Map<string, number>();
  /** Losing closes since the last non-losing one (the circuit breaker's streak). */
  private streak: BreakerTrip['losses'] = [];

  // the book's other parts
  readonly orders = new Map<string, LiveOrder>();
  breaker: { state: 'normal' | 'tripped'; reason: string | null; since: number | null; until: number | null } = {
    state: 'normal',
    reason: null,
    since: null,
    until: null,
  };
  dailyLossLimit: number | null = null;
  /** The risk plugin's last daily-loss event: its day, level and figure. */
  dailyLossEvent: { day: string; level: 'warning' | 'exceeded'; realized_pnl_today: number | null } | null = null;
  readonly limits: Record<string, unknown> = {};
  readonly failedChecksByDay = new Map<string, number>();
  portfolio: { cash: number | null; equity: number | null; at: number } | null = null;

  readonly decisions: DecisionCollector | null;

  constructor(options: FoldOptions = {}) {
    this.dayZone = options.dayZone ?? TimeZone.UTC;
    this.asOf = options.asOf;
    this.ledger = new PositionLedger(options.runIdOf ?? defaultRunIdOf);
    this.curve = new EquityCurve(options.curveBuckets ?? 2000);
    this.days = new DayBuckets(this.dayZone);
    this.decisions =
      options.decisions === false
        ? null
        : new DecisionCollector({
            dayKey: (ms) => this.days.keyOf(ms),
            alertTicker: (id) => this.alertTicker.get(id) ?? null,
            signalTicker: (id) => this.signalTicker.get(id) ?? null,
            orderTicker: (id) => this.orderTicker.get(id) ?? null,
            losingStreak: () => this.streak.slice(),
          });
  }

  /** Folds one event. Events must come in global (position) order. */
  apply(event: StoredEvent): void {
    if (this.asOf !== undefined && event.created_at > this.asOf) return;
    this.events += 1;
    this.firstAt ??= event.created_at;
    if (this.lastAt === null || event.created_at > this.lastAt) this.lastAt = event.created_at;
    const p = event.payload;
    switch (event.aggregate_type) {
      case 'position': {
        const change = this.ledger.apply(event);
        if (change) this.onLedger(event, change);
        break;
      }
      case 'order':
        this.onOrder(event);
        break;
      case 'signal':
        if (event.event_type === 'SIGNAL_GENERATED') {
          const signalId = str(p.signal_id) ?? event.aggregate_id;
          const alertId = str(p.source_alert_id);
          if (alertId) this.signalAlert.set(signalId, alertId);
          const ticker = str(p.ticker);
          if (ticker) this.signalTicker.set(signalId, ticker);
        }
        break;
      case 'alert':
        this.onAlert(event);
        break;
      case 'risk':
        this.onRisk(event);
        break;
      case 'portfolio':
        if (event.event_type === 'PORTFOLIO_SNAPSHOT_CREATED') {
          this.portfolio = { cash: num(p.cash), equity: num(p.equity), at: event.created_at };
        }
        break;
      default:
        break;
    }
    this.decisions?.apply(event);
  }

  /** Folds a batch (a page) of events. */
  applyAll(events: Iterable<StoredEvent>): this {
    for (const e of events) this.apply(e);
    return this;
  }

  private onLedger(event: StoredEvent, change: LedgerChange): void {
    const { position } = change;
    const at = event.created_at;
    const day = this.days.keyOf(at);
    if (day !== this.currentDay) {
      this.currentDay = day;
      if (!this.dayEquity.has(day)) this.dayEquity.set(day, new Drawdown(this.equity.value));
    }
    const delta = change.realized + change.unrealized;
    if (change.realized !== 0) {
      this.realized += change.realized;
      this.realizedByDay.set(day, (this.realizedByDay.get(day) ?? 0) + change.realized);
    }
    if (delta !== 0 || change.fill) {
      this.equity.move(delta);
      this.dayEquity.get(day)!.set(this.equity.value);
      const ticker = position.ticker ?? '(none)';
      let t = this.tickerEquity.get(ticker);
      if (!t) this.tickerEquity.set(ticker, (t = new Drawdown()));
      t.move(delta);
      this.curve.record(at, this.realized, this.equity.value, this.equity.peak - this.equity.value);
    }
    if (change.closed) {
      if (position.realized < 0) {
        this.streak.push({ position_id: position.id, ticker: position.ticker, net_pnl: position.realized, event: refOf(event) });
        if (this.streak.length > 100) this.streak.shift();
      } else {
        this.streak = [];
      }
    }
  }

  private onOrder(event: StoredEvent): void {
    const p = event.payload;
    const id = str(p.order_id) ?? event.aggregate_id;
    if (event.event_type === 'ORDER_SUBMITTED') {
      const ticker = str(p.ticker);
      if (ticker) this.orderTicker.set(id, ticker);
      if (this.orders.has(id)) return;
      this.orders.set(id, {
        order_id: id,
        ticker,
        side: str(p.side),
        order_type: str(p.order_type),
        quantity: num(p.quantity),
        filled: 0,
        limit_price: num(p.limit_price),
        stop_price: num(p.stop_price),
        status: 'submitted',
        submitted_at: event.created_at,
        signal_id: str(p.signal_id),
      });
      return;
    }
    const order = this.orders.get(id);
    if (!order) return; // already done (or never submitted in this log): not working
    if (TERMINAL.has(event.event_type)) {
      this.orders.delete(id);
    } else if (event.event_type === 'ORDER_ACCEPTED') {
      if (order.status === 'submitted') order.status = 'accepted';
    } else if (event.event_type === 'ORDER_PARTIALLY_FILLED') {
      order.status = 'partially_filled';
      order.filled += num(p.filled_quantity) ?? 0;
    }
  }

  private onAlert(event: StoredEvent): void {
    const p = event.payload;
    const alertId = str(p.alert_id) ?? event.aggregate_id;
    if (!this.alertTicker.has(alertId)) {
      const ticker = str(p.ticker);
      if (ticker) this.alertTicker.set(alertId, ticker);
    }
    if (event.event_type === 'ALERT_DECISION_MADE' || event.event_type === 'ALERT_TRADE_EXECUTED') {
      const signalId = str(p.signal_id);
      if (signalId && !this.signalAlert.has(signalId)) this.signalAlert.set(signalId, alertId);
    }
  }

  private onRisk(event: StoredEvent): void {
    const p = event.payload;
    switch (event.event_type) {
      case 'RISK_CHECK_PASSED':
      case 'RISK_CHECK_FAILED': {
        const check = str(p.check) ?? 'unnamed';
        if (p.limit !== undefined && p.limit !== null) this.limits[check] = p.limit;
        if (check === 'daily_loss' && num(p.limit) !== null) this.dailyLossLimit = num(p.limit);
        if (event.event_type === 'RISK_CHECK_FAILED') {
          const day = this.days.keyOf(event.created_at);
          this.failedChecksByDay.set(day, (this.failedChecksByDay.get(day) ?? 0) + 1);
        }
        return;
      }
      case 'DAILY_LOSS_LIMIT_WARNING':
      case 'DAILY_LOSS_LIMIT_EXCEEDED': {
        const limit = num(p.limit);
        if (limit !== null) {
          this.dailyLossLimit = limit;
          this.limits.daily_loss = limit;
        }
        this.dailyLossEvent = {
          day: this.days.keyOf(event.created_at),
          level: event.event_type === 'DAILY_LOSS_LIMIT_WARNING' ? 'warning' : 'exceeded',
          realized_pnl_today: num(p.realized_pnl_today),
        };
        return;
      }
      case 'POSITION_LIMIT_WARNING':
      case 'POSITION_LIMIT_EXCEEDED': {
        const limit = num(p.limit);
        const ticker = str(p.ticker);
        if (limit !== null && ticker) this.limits[`position:${ticker}`] = limit;
        return;
      }
      case 'CIRCUIT_BREAKER_TRIGGERED': {
        const until = p.until;
        const untilMs = typeof until === 'number' ? until : typeof until === 'string' ? Date.parse(until) : NaN;
        this.breaker = {
          state: 'tripped',
          reason: str(p.reason),
          since: event.created_at,
          until: Number.isFinite(untilMs) ? untilMs : null,
        };
        return;
      }
      case 'CIRCUIT_BREAKER_RESET':
        this.breaker = { state: 'normal', reason: null, since: event.created_at, until: null };
        // A reset breaker counts its streak from zero again, so the next trip lists only its own losses.
        this.streak = [];
        return;
      default:
        return;
    }
  }

  /** The cut-off: as_of when one was given, else the last event's time (null on an empty log). */
  get cutoff(): number | null {
    return this.asOf ?? this.lastAt;
  }

  dayKey(ms: number): string {
    return this.days.keyOf(ms);
  }

  positions(): IterableIterator<LedgerPosition> {
    return this.ledger.positions.values();
  }

  alertRecords(): ReadonlyMap<string, AlertDecisionRecord> {
    return this.decisions?.alerts ?? new Map();
  }

  decisionAnalytics(): DecisionAnalytics {
    if (!this.decisions) throw new Error('this fold was created with decisions: false');
    return this.decisions.result(this.dayZone.name);
  }
}
