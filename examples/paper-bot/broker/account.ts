import { cents } from '../util/round';
import type { OrderSide } from './types';

/**
 * The broker's ledger: cash and net shares per ticker. Buying power is 1x equity less
 * gross exposure and what open entry orders have reserved, so shorts use it up too.
 */
export class PaperAccount {
  private cashCents: number;
  private readonly holdings = new Map<string, number>();
  private readonly reserved = new Map<string, number>();

  constructor(startingCash: number) {
    this.cashCents = Math.round(startingCash * 100);
  }

  get cash(): number {
    return this.cashCents / 100;
  }

  shares(ticker: string): number {
    return this.holdings.get(ticker) ?? 0;
  }

  /** Books one execution; commission is always paid. */
  applyFill(ticker: string, side: OrderSide, quantity: number, price: number, commission: number): void {
    const signed = side === 'buy' ? quantity : -quantity;
    this.holdings.set(ticker, this.shares(ticker) + signed);
    if (this.shares(ticker) === 0) this.holdings.delete(ticker);
    this.cashCents -= Math.round(signed * price * 100) + Math.round(commission * 100);
  }

  reserve(orderId: string, amount: number): void {
    this.reserved.set(orderId, cents(amount));
  }

  release(orderId: string): void {
    this.reserved.delete(orderId);
  }

  equity(priceOf: (ticker: string) => number): number {
    let value = this.cash;
    for (const [ticker, qty] of this.holdings) value += qty * priceOf(ticker);
    return cents(value);
  }

  grossExposure(priceOf: (ticker: string) => number): number {
    let gross = 0;
    for (const [ticker, qty] of this.holdings) gross += Math.abs(qty) * priceOf(ticker);
    return cents(gross);
  }

  buyingPower(priceOf: (ticker: string) => number): number {
    let reserved = 0;
    for (const amount of this.reserved.values()) reserved += amount;
    return cents(this.equity(priceOf) - this.grossExposure(priceOf) - reserved);
  }
}
