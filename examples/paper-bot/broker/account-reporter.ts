import { PortfolioHooks } from '../../portfolio-plugin';
import type { PositionManager } from '../positions/position-manager';
import { dir } from '../positions/ledger';
import type { RiskManager } from '../risk/risk-manager';
import { cents } from '../util/round';
import type { PaperBroker } from './paper-broker';

export interface AccountSnapshot {
  account_id: string;
  cash: number;
  equity: number;
  positions: {
    position_id: string;
    ticker: string;
    side: 'long' | 'short';
    quantity: number;
    market_value: number;
    unrealized_pnl: number;
  }[];
  unrealized_pnl: number;
  realized_pnl: number;
}

export interface DailyPnl {
  account_id: string;
  date: string;
  realized_pnl: number;
  unrealized_pnl: number;
  trades: number;
}

/**
 * The account's periodic figures, for the third-party `portfolio` plugin (loaded through
 * the config by path). Read-only: nothing here changes how the bot trades.
 */
export class AccountReporter {
  private closedBefore = 0;

  constructor(
    readonly accountId: string,
    private readonly broker: PaperBroker,
    private readonly positions: PositionManager,
    private readonly risk: RiskManager,
  ) {}

  @PortfolioHooks.snapshot()
  snapshot(): AccountSnapshot {
    return this.figures();
  }

  /** The session's result, at the close. */
  @PortfolioHooks.dailyPnl()
  endOfDay(date: string): DailyPnl {
    const closed = this.positions.all().filter((p) => p.status === 'closed').length;
    const trades = closed - this.closedBefore;
    this.closedBefore = closed;
    return {
      account_id: this.accountId,
      date,
      realized_pnl: this.risk.realizedPnlToday,
      unrealized_pnl: this.figures().unrealized_pnl,
      trades,
    };
  }

  private figures(): AccountSnapshot {
    const held = this.positions.open().map((p) => ({
      position_id: p.position_id,
      ticker: p.ticker,
      side: p.side,
      quantity: p.open_quantity,
      market_value: cents(p.market_price * p.open_quantity),
      unrealized_pnl: cents((p.market_price - p.entry_price) * p.open_quantity * dir(p.side)),
    }));
    return {
      account_id: this.accountId,
      cash: this.broker.account.cash,
      equity: this.broker.equity(),
      positions: held,
      unrealized_pnl: cents(held.reduce((n, p) => n + p.unrealized_pnl, 0)),
      realized_pnl: this.risk.realizedPnlToday,
    };
  }
}
