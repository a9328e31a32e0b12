import type { Bar, MarketFeed } from '../market/types';
import type { RunIds } from '../util/ids';
import type { Prng } from '../util/prng';
import { cents } from '../util/round';
import { PaperAccount } from './account';
import { commissionFor, DEFAULT_COMMISSION, type CommissionSchedule } from './commission';
import type { BrokerUpdate, Fill, OrderRequest, SubmitResult } from './types';

export interface BrokerOptions {
  startingCash: number;
  commission: CommissionSchedule;
  /** Share of a bar's volume one order can take: bigger orders fill over several bars. */
  participation: number;
  /** Market and triggered stop orders pay this many basis points, plus up to as many again at random. */
  slippageBps: number;
  /** Limit and stop prices further than this from the last trade are refused as invalid. */
  priceBandPct: number;
}

export const DEFAULT_BROKER_OPTIONS: BrokerOptions = {
  startingCash: 100_000,
  commission: DEFAULT_COMMISSION,
  participation: 0.08,
  slippageBps: 4,
  priceBandPct: 0.25,
};

interface WorkingOrder {
  request: OrderRequest;
  submittedAt: number;
  leaves: number;
  /** A stop order that has been touched works as a market order. */
  triggered: boolean;
}

/**
 * A paper broker: validates and accepts orders, fills them against later bars (market at
 * the open with slippage, limits at their price or better, stops once touched), takes a
 * share of each bar's volume so large orders fill partially, charges commission, expires
 * good-till and day orders, and keeps the cash/holdings ledger.
 */
export class PaperBroker {
  readonly account: PaperAccount;
  private readonly working = new Map<string, WorkingOrder>();
  private brokerSeq = 0;

  constructor(
    private readonly feed: MarketFeed,
    private readonly prng: Prng,
    private readonly ids: RunIds,
    private readonly options: BrokerOptions = DEFAULT_BROKER_OPTIONS,
  ) {
    this.account = new PaperAccount(options.startingCash);
  }

  readonly priceOf = (ticker: string): number => this.feed.lastPrice(ticker) ?? 0;

  buyingPower(): number {
    return this.account.buyingPower(this.priceOf);
  }

  equity(): number {
    return this.account.equity(this.priceOf);
  }

  submit(request: OrderRequest, now: number): SubmitResult {
    const reject = (
      reject_reason: Extract<SubmitResult, { status: 'rejected' }>['reject_reason'],
      broker_message: string,
    ): SubmitResult => ({
      status: 'rejected',
      order_id: request.order_id,
      reject_reason,
      broker_message,
    });
    const last = this.feed.lastPrice(request.ticker);
    if (last === undefined) return reject('unknown_symbol', `no market for ${request.ticker}`);
    if (!Number.isInteger(request.quantity) || request.quantity <= 0) {
      return reject('invalid_quantity', `quantity must be a positive whole number, got ${request.quantity}`);
    }
    if (this.feed.isHalted(request.ticker, now)) {
      return reject('halted', `${request.ticker} is halted pending news; orders are not accepted`);
    }
    for (const [name, value] of [
      ['limit', request.limit_price],
      ['stop', request.stop_price],
    ] as const) {
      if (value === null) continue;
      if (!Number.isFinite(value) || value <= 0) return reject('invalid_price', `${name} price ${value} is not a positive price`);
      if (Math.abs(value / last - 1) > this.options.priceBandPct) {
        return reject('invalid_price', `${name} price ${value} is outside the ${this.options.priceBandPct * 100}% band around ${last}`);
      }
    }
    if (this.opensExposure(request)) {
      const notional = cents(request.quantity * Math.max(last, request.limit_price ?? 0, request.stop_price ?? 0));
      const power = this.buyingPower();
      if (notional > power) {
        return reject('insufficient_buying_power', `order needs ${notional.toFixed(2)}, buying power is ${power.toFixed(2)}`);
      }
      this.account.reserve(request.order_id, notional);
    }
    this.working.set(request.order_id, { request, submittedAt: now, leaves: request.quantity, triggered: false });
    this.brokerSeq += 1;
    return { status: 'accepted', order_id: request.order_id, broker_order_id: `PB-${String(this.brokerSeq).padStart(6, '0')}` };
  }

  /** True when the order was still working (and is now gone). */
  cancel(orderId: string): boolean {
    const order = this.working.get(orderId);
    if (!order) return false;
    this.working.delete(orderId);
    this.account.release(orderId);
    return true;
  }

  isWorking(orderId: string): boolean {
    return this.working.has(orderId);
  }

  /** Fills working orders of the bar's ticker, in submission order, sharing the bar's volume. */
  onBar(bar: Bar): BrokerUpdate[] {
    const updates: BrokerUpdate[] = [];
    let available = Math.floor(bar.volume * this.options.participation);
    const rng = this.prng.fork(`fills:${bar.ticker}:${bar.time}`);
    for (const [orderId, order] of this.working) {
      const r = order.request;
      if (r.ticker !== bar.ticker || order.submittedAt >= bar.time || available <= 0) continue;
      const price = this.executionPrice(order, bar, rng);
      if (price === null) continue;
      const quantity = Math.min(order.leaves, available);
      available -= quantity;
      order.leaves -= quantity;
      const fill: Fill = {
        order_id: orderId,
        trade_id: this.ids.next('fill'),
        ticker: r.ticker,
        side: r.side,
        filled_quantity: quantity,
        filled_price: price,
        commission: commissionFor(quantity, this.options.commission),
        expected_price: r.expected_price,
        liquidity: r.order_type === 'limit' ? 'maker' : 'taker',
        fill_time: bar.time,
      };
      this.account.applyFill(r.ticker, r.side, quantity, price, fill.commission);
      if (order.leaves === 0) {
        this.working.delete(orderId);
        this.account.release(orderId);
      } else if (this.opensExposure(r)) {
        this.account.reserve(orderId, order.leaves * price);
      }
      updates.push({ kind: 'fill', fill });
    }
    return updates;
  }

  /** Good-till orders past their time, and (at the close) every day order. */
  expire(now: number, sessionClosed: boolean): BrokerUpdate[] {
    const updates: BrokerUpdate[] = [];
    for (const [orderId, order] of this.working) {
      const due = order.request.expires_at !== null && order.request.expires_at <= now;
      const dayOver = sessionClosed && order.request.time_in_force === 'day';
      if (!due && !dayOver) continue;
      this.working.delete(orderId);
      this.account.release(orderId);
      updates.push({ kind: 'expired', order_id: orderId, expired_at: now });
    }
    return updates;
  }

  private executionPrice(order: WorkingOrder, bar: Bar, rng: Prng): number | null {
    const r = order.request;
    const buy = r.side === 'buy';
    const slip = (base: number): number => {
      const bps = this.options.slippageBps * (1 + rng.next());
      const amount = Math.max(0.01, cents((base * bps) / 10_000));
      return cents(buy ? base + amount : Math.max(0.01, base - amount));
    };
    switch (r.order_type) {
      case 'market':
        return slip(bar.open);
      case 'limit': {
        const limit = r.limit_price!;
        if (buy) return bar.low <= limit ? Math.min(bar.open, limit) : null;
        return bar.high >= limit ? Math.max(bar.open, limit) : null;
      }
      case 'stop': {
        const stop = r.stop_price!;
        if (!order.triggered) {
          order.triggered = buy ? bar.high >= stop : bar.low <= stop;
          if (!order.triggered) return null;
          return slip(buy ? Math.max(bar.open, stop) : Math.min(bar.open, stop));
        }
        return slip(bar.open);
      }
    }
  }

  /** Orders that add to the account's exposure need buying power; exits that reduce it do not. */
  private opensExposure(request: OrderRequest): boolean {
    const held = this.account.shares(request.ticker);
    const signed = request.side === 'buy' ? request.quantity : -request.quantity;
    return Math.abs(held + signed) > Math.abs(held);
  }
}
