/** The portfolio example's decide functions: pure functions of the input and what was read for it. */
import { describe, expect, it } from 'vitest';
import { decideDailyPnl, decideSnapshot } from '../../../examples/portfolio-plugin/decide';

describe('portfolio decide', () => {
  it("a snapshot sums its positions' unrealized P&L and starts its own chain", () => {
    const d = decideSnapshot(
      {
        cash: 1,
        equity: 2,
        positions: [
          { ticker: 'A', quantity: 1, unrealized_pnl: 5 },
          { ticker: 'B', quantity: 1, unrealized_pnl: -2 },
        ],
      },
      'acct',
    );
    expect(d).toMatchObject({ eventType: 'PORTFOLIO_SNAPSHOT_CREATED', accountId: 'acct', payload: { unrealized_pnl: 3 }, follow: [] });
  });

  it("a day's P&L takes what the bot passes, else what the log says, and follows the account's chain", () => {
    const d = decideDailyPnl({ realized_pnl: 10 }, 'acct', '2026-12-05', { realized: 99, trades: 4 }, 7);
    expect(d.payload).toEqual({ date: '2026-12-05', realized_pnl: 10, unrealized_pnl: 7, total_pnl: 17, trades: 4 });
    expect(d.follow).toEqual([{ aggregateType: 'portfolio', aggregateId: 'acct' }]);
  });
});
