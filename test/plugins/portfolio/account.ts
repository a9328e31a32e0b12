import { PortfolioHooks } from '../../../examples/portfolio-plugin';
import { PositionHooks, type PositionFillInput } from '../../../src-plugins/position';

/** A bot's account class carrying the position fill and the portfolio hooks, as both portfolio tests bind it. */
export class Account {
  @PositionHooks.fill()
  fill(_f: PositionFillInput) {}

  @PortfolioHooks.snapshot()
  snapshot() {
    return { cash: 8_000, equity: 10_120, positions: [{ ticker: 'MSFT', quantity: 5, unrealized_pnl: 20 }] };
  }

  @PortfolioHooks.dailyPnl()
  endOfDay() {}
}
