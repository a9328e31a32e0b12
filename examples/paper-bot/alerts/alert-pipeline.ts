import type { CausalContext, CausalScope, Clock } from 'catalyst-events';
import { AlertHooks } from 'catalyst-events/plugins/alert';
import { OrderHooks } from 'catalyst-events/plugins/order';
import type { EntryOutcome, OrderExecutor } from '../broker/order-executor';
import type { OrderType } from '../broker/types';
import type { PriceTape } from '../market/price-tape';
import type { MarketFeed } from '../market/types';
import type { PositionManager } from '../positions/position-manager';
import type { RunIds } from '../util/ids';
import { roundTo } from '../util/round';
import { classifyHeadline } from './classifier';
import { decide, type DecisionPolicy } from './decision-policy';
import type { PaperDiscord } from './notifier';
import type { SlidingWindowLimiter } from './rate-limiter';
import { scoreAlert } from './scorer';
import { buildSignal, type Signal, type SignalContext } from './signal';
import type { AlertDecision, AlertScore, Classification, NewsAlert } from './types';

export interface PipelineDeps {
  clock: Clock;
  feed: MarketFeed;
  tape: PriceTape;
  positions: PositionManager;
  executor: OrderExecutor;
  discord: PaperDiscord;
  limiter: SlidingWindowLimiter;
  policy: DecisionPolicy;
  ids: RunIds;
  stopsFor: (side: 'long' | 'short', price: number) => { stop: number; target: number };
  /** Minutes since today's open. */
  minuteOfSession: () => number;
  /**
   * Optional: with the core present, a waiting alert's recheck continues the alert's causal
   * chain. The bot trades the same without it.
   */
  causal?: CausalContext;
}

export interface PipelineStats {
  received: number;
  rateLimited: number;
  decisions: { trade: number; skip: number; wait: number };
  skipped: number;
  /** Skips by reason code. */
  skippedBy: Record<string, number>;
  signals: number;
  riskFailed: number;
  ordersRejected: number;
  tradesSent: number;
}

interface Waiting {
  alert: NewsAlert;
  classification: Classification;
  score: AlertScore;
  priceAtAlert: number;
  recheckAt: number;
  scope: CausalScope | undefined;
}

/** Entries that cleared the bar by this much go in at market; the rest work a limit. */
const MARKET_ENTRY_MARGIN = 0.08;
const ENTRY_WORK_MINUTES = 10;
const DUPLICATE_WINDOW_MS = 30 * 60_000;

/**
 * News in, trades out: rate limit, classify, score, decide (trade / skip / wait), then a
 * signal, risk and an order; or a skip with its reason. `process` is the hooked entry, so
 * everything one alert leads to shares its causal chain.
 */
export class AlertPipeline {
  readonly stats: PipelineStats = {
    received: 0,
    rateLimited: 0,
    decisions: { trade: 0, skip: 0, wait: 0 },
    skipped: 0,
    skippedBy: {},
    signals: 0,
    riskFailed: 0,
    ordersRejected: 0,
    tradesSent: 0,
  };
  private readonly waiting: Waiting[] = [];
  private readonly handled = new Map<string, number>();
  private readonly alertBySignal = new Map<string, string>();

  constructor(private readonly deps: PipelineDeps) {}

  @AlertHooks.receive()
  process(alert: NewsAlert): AlertDecision | null {
    this.stats.received += 1;
    const limit = this.rateLimit(alert);
    if (limit.limited) {
      this.skip({
        alert_id: alert.alert_id,
        reason: `more than ${limit.limit} alerts for ${alert.ticker} in ${limit.window_seconds}s`,
        reason_code: 'rate_limited',
      });
      return null;
    }
    const classification = this.classify(alert);
    const tape = this.deps.tape;
    const momentum = tape.change(alert.ticker, this.deps.clock.now(), 5) * classification.sentiment;
    const score = this.score(alert, classification, { minuteOfSession: this.deps.minuteOfSession(), confirmingMovePct: momentum });
    const decision = this.decide(alert, classification, score, this.flagsFor(alert, classification), null);
    this.act(alert, classification, score, decision);
    return decision;
  }

  /** Looks again at alerts that were told to wait, once their time has come. */
  recheckDue(now: number): void {
    const due = this.waiting.filter((w) => w.recheckAt <= now);
    if (due.length === 0) return;
    this.waiting.splice(0, this.waiting.length, ...this.waiting.filter((w) => w.recheckAt > now));
    for (const w of due) {
      const run = (): void => this.reconsider(w);
      const causal = this.deps.causal;
      if (causal && w.scope) causal.run(run, { correlationId: w.scope.correlationId, causationId: w.scope.lastEventId });
      else run();
    }
  }

  /** The alert a signal came from. */
  alertFor(signalId: string | null): string | undefined {
    return signalId === null ? undefined : this.alertBySignal.get(signalId);
  }

  /** Alerts still waiting at the close are dropped with a reason. */
  expireWaiting(): void {
    for (const w of this.waiting.splice(0)) {
      const run = (): void => {
        this.skip({ alert_id: w.alert.alert_id, reason: 'session closed while waiting for confirmation', reason_code: 'session_closed' });
      };
      const causal = this.deps.causal;
      if (causal && w.scope) causal.run(run, { correlationId: w.scope.correlationId, causationId: w.scope.lastEventId });
      else run();
    }
  }

  @AlertHooks.rateLimit()
  rateLimit(alert: NewsAlert): { alert_id: string; ticker: string; limited: boolean; limit: number; window_seconds: number } {
    const limiter = this.deps.limiter;
    const limited = !limiter.allow(alert.ticker, alert.received_at);
    if (limited) this.stats.rateLimited += 1;
    return { alert_id: alert.alert_id, ticker: alert.ticker, limited, limit: limiter.limit, window_seconds: limiter.windowSeconds };
  }

  @AlertHooks.classify()
  classify(alert: NewsAlert): Classification {
    return classifyHeadline(alert);
  }

  @AlertHooks.score()
  score(alert: NewsAlert, classification: Classification, ctx: { minuteOfSession: number; confirmingMovePct: number }): AlertScore {
    return scoreAlert(alert, classification, ctx);
  }

  @AlertHooks.decide()
  decide(
    alert: NewsAlert,
    classification: Classification,
    score: AlertScore,
    flags: string[],
    recheckMovePct: number | null,
  ): AlertDecision {
    const decision = decide(
      { alert, classification, score, flags, recheckMovePct, minuteOfSession: this.deps.minuteOfSession(), now: this.deps.clock.now() },
      this.deps.policy,
    );
    this.stats.decisions[decision.decision] += 1;
    // The signal's id is part of the decision record, so it is drawn here.
    return decision.decision === 'trade' ? { ...decision, signal_id: this.deps.ids.next('sig') } : decision;
  }

  @OrderHooks.generateSignal()
  generateSignal(ctx: SignalContext): Signal {
    this.stats.signals += 1;
    this.alertBySignal.set(ctx.decision.signal_id!, ctx.alert.alert_id);
    return buildSignal(ctx.decision.signal_id!, ctx);
  }

  @AlertHooks.skip()
  skip(skip: { alert_id: string; reason: string; reason_code: string }): void {
    this.stats.skipped += 1;
    this.stats.skippedBy[skip.reason_code] = (this.stats.skippedBy[skip.reason_code] ?? 0) + 1;
  }

  @AlertHooks.tradeExecuted()
  tradeExecuted(executed: { alert_id: string; signal_id: string; order_id: string }): typeof executed {
    this.stats.tradesSent += 1;
    return executed;
  }

  private reconsider(w: Waiting): void {
    const now = this.deps.clock.now();
    const price = this.priceOf(w.alert.ticker);
    const move = roundTo((price / w.priceAtAlert - 1) * w.classification.sentiment, 6);
    const decision = this.decide(w.alert, w.classification, w.score, this.flagsFor(w.alert, w.classification, now), move);
    this.act(w.alert, w.classification, w.score, decision);
  }

  private act(alert: NewsAlert, classification: Classification, score: AlertScore, decision: AlertDecision): void {
    const now = this.deps.clock.now();
    if (decision.decision === 'wait') {
      this.waiting.push({
        alert,
        classification,
        score,
        priceAtAlert: this.priceOf(alert.ticker),
        recheckAt: decision.recheck_at ?? now,
        scope: this.deps.causal?.current(),
      });
      return;
    }
    if (decision.decision === 'skip') {
      if (decision.reason_code === 'position_open' && classification.sentiment !== 0 && score.score >= decision.min_score_threshold) {
        this.deps.positions.extendTarget(alert.ticker, `follow-on ${classification.catalyst_type} (${alert.alert_id})`);
      }
      this.skip({ alert_id: alert.alert_id, reason: decision.reasoning, reason_code: decision.reason_code });
      return;
    }
    this.handled.set(`${alert.ticker}:${classification.catalyst_type}`, now);
    const price = this.priceOf(alert.ticker);
    const side = decision.action === 'short' ? 'short' : 'long';
    const signal = this.generateSignal({ alert, classification, score, decision, price, stops: this.deps.stopsFor(side, price) });
    const confirmed = decision.override_flags.includes('price_confirmed');
    const orderType: OrderType = confirmed
      ? 'stop'
      : score.score >= decision.min_score_threshold + MARKET_ENTRY_MARGIN
        ? 'market'
        : 'limit';
    const outcome = this.deps.executor.enter({ signal, order_type: orderType, workMinutes: ENTRY_WORK_MINUTES });
    this.afterEntry(alert, signal, outcome);
  }

  private afterEntry(alert: NewsAlert, signal: Signal, outcome: EntryOutcome): void {
    if (outcome.kind === 'risk_failed') {
      this.stats.riskFailed += 1;
      const failed = outcome.checks.filter((c) => !c.passed);
      this.skip({ alert_id: alert.alert_id, reason: `risk: ${failed.map((c) => c.reason).join('; ')}`, reason_code: 'risk_check_failed' });
      return;
    }
    if (outcome.kind === 'rejected') {
      this.stats.ordersRejected += 1;
      this.skip({ alert_id: alert.alert_id, reason: `order rejected: ${outcome.order.reject_reason}`, reason_code: 'order_rejected' });
      return;
    }
    this.deps.discord.post(alert, { action: signal.action, score: Number(signal.inputs.score) });
    this.tradeExecuted({ alert_id: alert.alert_id, signal_id: signal.signal_id, order_id: outcome.order.request.order_id });
  }

  private flagsFor(alert: NewsAlert, c: Classification, now = this.deps.clock.now()): string[] {
    const flags: string[] = [];
    const last = this.handled.get(`${alert.ticker}:${c.catalyst_type}`);
    if (last !== undefined && now - last < DUPLICATE_WINDOW_MS) flags.push('duplicate_story');
    const pendingEntry = this.deps.executor.working('entry').some((o) => o.request.ticker === alert.ticker);
    if (this.deps.positions.isTrading(alert.ticker) || pendingEntry) flags.push('position_open');
    return flags;
  }

  private priceOf(ticker: string): number {
    return this.deps.tape.last(ticker) ?? this.deps.feed.lastPrice(ticker) ?? 0;
  }
}
