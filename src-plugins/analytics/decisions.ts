/**
 * Decision analytics: why the bot did or did not trade, counted, with the events behind
 * every count — alerts by decision and skip reason (per ticker and per day), failed risk
 * checks by check, order rejections by reason — and each circuit-breaker trip linked to the
 * losing streak it tripped on and the signals it then blocked. Also the per-alert record the
 * what-if on the score threshold reads.
 */
import type { StoredEvent } from '../../src-core';
import type { BreakerTrip, DecisionAnalytics, DecisionBreakdown, EventRef, Tally } from './types';
import { iso, num, str } from './values';

export function refOf(event: StoredEvent): EventRef {
  return {
    position: event.position,
    event_id: event.event_id,
    event_type: event.event_type,
    aggregate_id: event.aggregate_id,
    at: iso(event.created_at),
  };
}

function emptyBreakdown(): DecisionBreakdown {
  return { by_decision: {}, by_skip_reason: {}, risk_failures: {}, rejections: {} };
}

function tally(map: Record<string, Tally>, key: string, ref: EventRef): void {
  const t = (map[key] ??= { count: 0, events: [] });
  t.count += 1;
  t.events.push(ref);
}

/** One alert's decisions, as the what-if reads them. */
export interface AlertDecisionRecord {
  alert_id: string;
  ticker: string | null;
  /** The first decision that compared a score with a threshold. */
  first: {
    decision: string;
    score: number | null;
    threshold: number | null;
    reason_code: string | null;
    ref: EventRef;
  } | null;
  signal_id: string | null;
}

/** Context the fold lends the collector: lookups it already keeps. */
export interface DecisionContext {
  dayKey(ms: number): string;
  alertTicker(alertId: string): string | null;
  signalTicker(signalId: string): string | null;
  orderTicker(orderId: string): string | null;
  /** The current losing streak: closes with a negative net P&L since the last non-losing one. */
  losingStreak(): BreakerTrip['losses'];
}

const BREAKER_CHECK = /circuit[_ ]?breaker/i;

export class DecisionCollector {
  private readonly total = emptyBreakdown();
  private readonly byTicker = new Map<string, DecisionBreakdown>();
  private readonly byDay = new Map<string, DecisionBreakdown>();
  private readonly trips: BreakerTrip[] = [];
  private openTrip: BreakerTrip | null = null;
  readonly alerts = new Map<string, AlertDecisionRecord>();
  /** Recent events by id, to resolve a trip's causation (bounded). */
  private readonly recent = new Map<string, EventRef>();

  constructor(private readonly ctx: DecisionContext) {}

  private buckets(ticker: string | null, at: number): DecisionBreakdown[] {
    const day = this.ctx.dayKey(at);
    let d = this.byDay.get(day);
    if (!d) this.byDay.set(day, (d = emptyBreakdown()));
    const list = [this.total, d];
    const key = ticker ?? '(none)';
    let t = this.byTicker.get(key);
    if (!t) this.byTicker.set(key, (t = emptyBreakdown()));
    list.push(t);
    return list;
  }

  private alert(alertId: string): AlertDecisionRecord {
    let a = this.alerts.get(alertId);
    if (!a) this.alerts.set(alertId, (a = { alert_id: alertId, ticker: this.ctx.alertTicker(alertId), first: null, signal_id: null }));
    return a;
  }

  private remember(event: StoredEvent, ref: EventRef = refOf(event)): EventRef {
    this.recent.set(event.event_id, ref);
    if (this.recent.size > 512) this.recent.delete(this.recent.keys().next().value!);
    return ref;
  }

  apply(event: StoredEvent): void {
    const p = event.payload;
    switch (event.event_type) {
      case 'ALERT_DECISION_MADE': {
        const ref = refOf(event);
        const decision = str(p.decision) ?? 'unknown';
        const a = this.alert(str(p.alert_id) ?? event.aggregate_id);
        a.ticker ??= this.ctx.alertTicker(a.alert_id);
        for (const b of this.buckets(a.ticker, event.created_at)) tally(b.by_decision, decision, ref);
        const score = num(p.score);
        const threshold = num(p.min_score_threshold);
        if (a.first === null && score !== null && threshold !== null) {
          a.first = { decision, score, threshold, reason_code: str(p.reason_code), ref };
        }
        a.signal_id = str(p.signal_id) ?? a.signal_id;
        return;
      }
      case 'ALERT_TRADE_EXECUTED': {
        const a = this.alert(str(p.alert_id) ?? event.aggregate_id);
        a.signal_id = str(p.signal_id) ?? a.signal_id;
        return;
      }
      case 'ALERT_SKIPPED': {
        const ref = refOf(event);
        const alertId = str(p.alert_id) ?? event.aggregate_id;
        const reason = str(p.reason_code) ?? str(p.reason) ?? 'unspecified';
        for (const b of this.buckets(this.ctx.alertTicker(alertId), event.created_at)) tally(b.by_skip_reason, reason, ref);
        return;
      }
      case 'RISK_CHECK_FAILED': {
        const ref = this.remember(event);
        const check = str(p.check) ?? 'unnamed';
        const subject = str(p.subject);
        const ticker = subject === null ? null : (this.ctx.signalTicker(subject) ?? this.ctx.orderTicker(subject));
        for (const b of this.buckets(ticker, event.created_at)) tally(b.risk_failures, check, ref);
        if (this.openTrip && (BREAKER_CHECK.test(check) || BREAKER_CHECK.test(str(p.reason_code) ?? ''))) {
          this.openTrip.blocked.push({ subject, ticker, check, event: ref });
        }
        return;
      }
      case 'ORDER_REJECTED': {
        const ref = refOf(event);
        const orderId = str(p.order_id) ?? event.aggregate_id;
        const reason = str(p.reject_reason) ?? 'unspecified';
        for (const b of this.buckets(this.ctx.orderTicker(orderId), event.created_at)) tally(b.rejections, reason, ref);
        return;
      }
      case 'CIRCUIT_BREAKER_TRIGGERED': {
        const ref = this.remember(event);
        const cause = str(event.metadata.causation_id);
        const until = p.until;
        const untilMs = typeof until === 'number' ? until : typeof until === 'string' ? Date.parse(until) : NaN;
        const trip: BreakerTrip = {
          trip: ref,
          reason: str(p.reason),
          until: Number.isFinite(untilMs) ? iso(untilMs) : null,
          reset: null,
          reset_reason: null,
          cause: cause === null ? null : (this.recent.get(cause) ?? null),
          losses: this.ctx.losingStreak(),
          blocked: [],
        };
        this.trips.push(trip);
        this.openTrip = trip;
        return;
      }
      case 'CIRCUIT_BREAKER_RESET': {
        if (this.openTrip) {
          this.openTrip.reset = refOf(event);
          this.openTrip.reset_reason = str(p.reason);
          this.openTrip = null;
        }
        return;
      }
      case 'DAILY_LOSS_LIMIT_WARNING':
      case 'DAILY_LOSS_LIMIT_EXCEEDED':
      case 'POSITION_CLOSED':
        this.remember(event);
        return;
      default:
        return;
    }
  }

  result(dayZone: string): DecisionAnalytics {
    return {
      day_zone: dayZone,
      alerts: this.alerts.size,
      ...this.total,
      by_ticker: Object.fromEntries([...this.byTicker].sort(([a], [b]) => a.localeCompare(b))),
      by_day: Object.fromEntries([...this.byDay].sort(([a], [b]) => a.localeCompare(b))),
      breaker_trips: this.trips,
    };
  }
}

/** The event types decision analytics reads (a reader may filter on them). */
export const DECISION_TYPES = [
  'ALERT_RECEIVED',
  'ALERT_DECISION_MADE',
  'ALERT_TRADE_EXECUTED',
  'ALERT_SKIPPED',
  'ALERT_RATE_LIMITED',
  'ALERT_CLASSIFIED',
  'SIGNAL_GENERATED',
  'ORDER_SUBMITTED',
  'ORDER_REJECTED',
  'RISK_CHECK_FAILED',
  'CIRCUIT_BREAKER_TRIGGERED',
  'CIRCUIT_BREAKER_RESET',
  'DAILY_LOSS_LIMIT_WARNING',
  'DAILY_LOSS_LIMIT_EXCEEDED',
  'POSITION_OPENED',
  'POSITION_CLOSED',
] as const;
