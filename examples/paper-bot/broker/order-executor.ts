import type { Clock } from 'catalyst-events';
import { OrderHooks } from 'catalyst-events/plugins/order';
import type { Signal } from '../alerts/signal';
import type { PositionManager } from '../positions/position-manager';
import type { ExitRequest } from '../positions/types';
import type { RiskCheck, RiskManager } from '../risk/risk-manager';
import type { RunIds } from '../util/ids';
import { cents } from '../util/round';
import type { PaperBroker } from './paper-broker';
import type { BrokerUpdate, Fill, OrderRequest, OrderStatus, OrderType, SubmitResult } from './types';

/** One step of an order's life, named as the event catalogue names it. */
export interface OrderStep {
  status:
    | 'ORDER_SUBMITTED'
    | 'ORDER_ACCEPTED'
    | 'ORDER_PARTIALLY_FILLED'
    | 'ORDER_FILLED'
    | 'ORDER_REJECTED'
    | 'ORDER_CANCELLED'
    | 'ORDER_EXPIRED';
  timestamp: number;
}

/** The bot's own view of an order (mapped to the order plugin's state shape for verification). */
export interface LiveOrder {
  request: OrderRequest;
  status: OrderStatus;
  history: OrderStep[];
  broker_order_id: string | null;
  filled_quantity: number;
  /** Average over all fills, unrounded (the log's figure must match to the bit). */
  avg_fill_price: number | null;
  commission: number;
  fills: Fill[];
  reject_reason: string | null;
  broker_message: string | null;
  cancel_reason: string | null;
  submitted_at: number;
  accepted_at: number | null;
  rejected_at: number | null;
  cancelled_at: number | null;
  expired_at: number | null;
  filled_at: number | null;
  closed_at: number | null;
}

export interface EntryPlan {
  signal: Signal;
  /** Which entry order the strategy wants. */
  order_type: OrderType;
  /** How long a limit or stop entry may work. */
  workMinutes: number;
}

export type EntryOutcome =
  { kind: 'risk_failed'; checks: RiskCheck[] } | { kind: 'rejected'; order: LiveOrder } | { kind: 'submitted'; order: LiveOrder };

export interface ExecutorOptions {
  /** Limit entries are placed this far through the expected price (fraction). */
  limitOffsetPct: number;
  /** Stop entries trigger this far beyond the expected price (fraction). */
  stopOffsetPct: number;
  /** A partly filled entry is cancelled after working this long. */
  staleEntryMinutes: number;
  /** An unfilled entry is cancelled when the price runs this far past its limit or stop (fraction). */
  chaseLimitPct: number;
  /** Notional per trade at full confidence. */
  baseNotional: number;
}

export const DEFAULT_EXECUTOR_OPTIONS: ExecutorOptions = {
  limitOffsetPct: 0.01,
  stopOffsetPct: 0.003,
  staleEntryMinutes: 8,
  chaseLimitPct: 0.02,
  baseNotional: 14_000,
};

/**
 * Turns signals into orders (after risk), sends them to the paper broker, and feeds the
 * broker's fills into the position manager. Every order lifecycle step is a decorated
 * method, so the order plugin sees submit, accept/reject, fills, cancels and expiries.
 */
export class OrderExecutor {
  private readonly orders = new Map<string, LiveOrder>();

  constructor(
    private readonly broker: PaperBroker,
    private readonly risk: RiskManager,
    private readonly positions: PositionManager,
    private readonly ids: RunIds,
    private readonly clock: Clock,
    private readonly stopsFor: (side: 'long' | 'short', price: number) => { stop: number; target: number },
    private readonly options: ExecutorOptions = DEFAULT_EXECUTOR_OPTIONS,
  ) {}

  get(orderId: string): LiveOrder | undefined {
    return this.orders.get(orderId);
  }

  all(): LiveOrder[] {
    return [...this.orders.values()];
  }

  /** Risk, sizing and submission of an entry for a signal. */
  enter(plan: EntryPlan): EntryOutcome {
    const { signal } = plan;
    const price = signal.entry_price;
    const wanted = this.risk.sizeEntry(signal.ticker, this.options.baseNotional * signal.confidence);
    const quantity = Math.max(1, Math.floor(wanted / price));
    const checks = this.risk.checkEntry({
      subject: signal.signal_id,
      ticker: signal.ticker,
      notional: cents(quantity * price),
      openPositions: this.positions.open().length + this.pendingEntries(),
      buyingPower: this.broker.buyingPower(),
    });
    if (checks.some((c) => !c.passed)) return { kind: 'risk_failed', checks };
    const buy = signal.action === 'buy';
    const now = this.clock.now();
    const request: OrderRequest = {
      order_id: this.ids.next('ord'),
      signal_id: signal.signal_id,
      ticker: signal.ticker,
      side: buy ? 'buy' : 'sell',
      quantity,
      order_type: plan.order_type,
      limit_price: plan.order_type === 'limit' ? cents(price * (1 + (buy ? 1 : -1) * this.options.limitOffsetPct)) : null,
      stop_price: plan.order_type === 'stop' ? cents(price * (1 + (buy ? 1 : -1) * this.options.stopOffsetPct)) : null,
      time_in_force: plan.order_type === 'market' ? 'day' : 'gtc',
      extended_hours: false,
      expected_price: price,
      expires_at: plan.order_type === 'market' ? null : now + plan.workMinutes * 60_000,
      purpose: 'entry',
      position_id: this.ids.next('pos'),
    };
    const result = this.submit(request);
    const order = this.orders.get(request.order_id)!;
    return result.status === 'rejected' ? { kind: 'rejected', order } : { kind: 'submitted', order };
  }

  /** A market order that flattens a position. */
  exit(exit: ExitRequest, signalId: string | null): LiveOrder {
    const request: OrderRequest = {
      order_id: this.ids.next('ord'),
      signal_id: signalId,
      ticker: exit.ticker,
      side: exit.side,
      quantity: exit.quantity,
      order_type: 'market',
      limit_price: null,
      stop_price: null,
      time_in_force: 'day',
      extended_hours: false,
      expected_price: exit.price,
      expires_at: null,
      purpose: 'exit',
      position_id: exit.position_id,
    };
    const result = this.submit(request);
    if (result.status === 'rejected') this.positions.clearExit(exit.position_id);
    return this.orders.get(request.order_id)!;
  }

  /** Sends the order; the result says accepted (with the broker's id) or rejected (with why). */
  @OrderHooks.submit()
  submit(request: OrderRequest): SubmitResult {
    const now = this.clock.now();
    const result = this.broker.submit(request, now);
    const accepted = result.status === 'accepted';
    const order: LiveOrder = {
      request,
      status: result.status,
      history: [
        { status: 'ORDER_SUBMITTED', timestamp: now },
        { status: accepted ? 'ORDER_ACCEPTED' : 'ORDER_REJECTED', timestamp: now },
      ],
      broker_order_id: accepted ? result.broker_order_id : null,
      filled_quantity: 0,
      avg_fill_price: null,
      commission: 0,
      fills: [],
      reject_reason: accepted ? null : result.reject_reason,
      broker_message: accepted ? null : result.broker_message,
      cancel_reason: null,
      submitted_at: now,
      accepted_at: accepted ? now : null,
      rejected_at: accepted ? null : now,
      cancelled_at: null,
      expired_at: null,
      filled_at: null,
      closed_at: accepted ? null : now,
    };
    this.orders.set(request.order_id, order);
    return result;
  }

  /** Routes the broker's fills and expiries. */
  onBrokerUpdates(updates: readonly BrokerUpdate[]): void {
    for (const update of updates) {
      if (update.kind === 'fill') this.fill(update.fill);
      else this.expire({ order_id: update.order_id, expired_at: update.expired_at });
    }
  }

  @OrderHooks.fill()
  fill(fill: Fill): void {
    const order = this.orders.get(fill.order_id);
    if (!order || order.fills.some((f) => f.trade_id === fill.trade_id)) return;
    const before = order.filled_quantity;
    const total = before + fill.filled_quantity;
    order.avg_fill_price =
      before === 0 ? fill.filled_price : ((order.avg_fill_price ?? 0) * before + fill.filled_price * fill.filled_quantity) / total;
    order.fills.push(fill);
    order.filled_quantity = total;
    order.commission += fill.commission;
    const done = total >= order.request.quantity;
    order.status = done ? 'filled' : 'partially_filled';
    order.history.push({ status: done ? 'ORDER_FILLED' : 'ORDER_PARTIALLY_FILLED', timestamp: fill.fill_time });
    if (done) {
      order.filled_at = fill.fill_time;
      order.closed_at = fill.fill_time;
    }
    this.toPosition(order, fill);
  }

  @OrderHooks.cancel()
  cancel(cancel: { order_id: string; reason: string }): boolean {
    const order = this.orders.get(cancel.order_id);
    if (!order || !this.broker.cancel(cancel.order_id)) return false;
    const now = this.clock.now();
    order.status = 'cancelled';
    order.cancel_reason = cancel.reason;
    order.cancelled_at = now;
    order.closed_at = now;
    order.history.push({ status: 'ORDER_CANCELLED', timestamp: now });
    this.afterEntryEnded(order);
    return true;
  }

  @OrderHooks.expire()
  expire(expiry: { order_id: string; expired_at: number }): void {
    const order = this.orders.get(expiry.order_id);
    if (!order) return;
    order.status = 'expired';
    order.expired_at = expiry.expired_at;
    order.closed_at = expiry.expired_at;
    order.history.push({ status: 'ORDER_EXPIRED', timestamp: this.clock.now() });
    this.afterEntryEnded(order);
  }

  /**
   * Cancels working entries: all of them when given a reason; otherwise those partly filled
   * and gone stale, and those whose price ran away (chasing a gap is how day traders lose).
   */
  cancelEntries(now: number, reason: string | null, priceOf?: (ticker: string) => number | undefined): void {
    for (const order of this.working('entry')) {
      const why = reason ?? this.cancelReason(order, now, priceOf);
      if (why !== null) this.cancel({ order_id: order.request.order_id, reason: why });
    }
  }

  private cancelReason(order: LiveOrder, now: number, priceOf?: (ticker: string) => number | undefined): string | null {
    const r = order.request;
    if (order.status === 'partially_filled' && now - order.submitted_at >= this.options.staleEntryMinutes * 60_000) {
      return 'stale partial fill';
    }
    const price = priceOf?.(r.ticker);
    const reference = r.limit_price ?? r.stop_price;
    if (price === undefined || reference === null || order.filled_quantity > 0) return null;
    const away = ((price - reference) / reference) * (r.side === 'buy' ? 1 : -1);
    return away > this.options.chaseLimitPct ? `price ran ${(away * 100).toFixed(1)}% past the ${r.order_type} price` : null;
  }

  working(purpose?: 'entry' | 'exit'): LiveOrder[] {
    return this.all().filter(
      (o) => (o.status === 'accepted' || o.status === 'partially_filled') && (purpose === undefined || o.request.purpose === purpose),
    );
  }

  private pendingEntries(): number {
    return this.working('entry').filter((o) => o.filled_quantity === 0).length;
  }

  private toPosition(order: LiveOrder, fill: Fill): void {
    const r = order.request;
    const existing = this.positions.get(r.position_id);
    const stops = existing ? null : this.stopsFor(r.side === 'buy' ? 'long' : 'short', fill.filled_price);
    this.positions.applyFill({
      position_id: r.position_id,
      trade_id: fill.trade_id,
      ticker: r.ticker,
      side: r.side,
      quantity: fill.filled_quantity,
      price: fill.filled_price,
      commission: fill.commission,
      order_id: r.order_id,
      signal_id: r.signal_id,
      ...(stops ? { stop_loss_price: stops.stop, take_profit_price: stops.target } : {}),
      ...(r.purpose === 'exit' ? { exit_reason: existing?.exiting ?? 'manual' } : {}),
    });
    const position = this.positions.get(r.position_id);
    if (r.purpose === 'exit' && position?.status === 'closed') this.risk.onTradeClosed(position.realized_pnl);
  }

  /** An exit that ended short of its quantity leaves the position exposed: let triggers fire again. */
  private afterEntryEnded(order: LiveOrder): void {
    if (order.request.purpose === 'exit') this.positions.clearExit(order.request.position_id);
  }
}
