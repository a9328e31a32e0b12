/**
 * The third-party portfolio plugin across a bot restart: the day's realized P&L counts
 * what happened before the restart (read back from the log), a close counts only what its
 * position's earlier reductions did not, and the day's P&L follows the last snapshot.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalyst, ManualClock, type Catalyst, type ErrorReporter, type StoredEvent } from '../../../src-core';
import portfolioPlugin from '../../../examples/portfolio-plugin';
import positionPlugin from '../../../src-plugins/position';
import { tempDir } from '../../support/temp';
import { T0 } from '../catalyst';
import { Account } from './account';

const DAY = 86_400_000;

async function boot(file: string, clock: ManualClock) {
  const errors: unknown[] = [];
  const reporter: ErrorReporter = { report: (error) => void errors.push(error) };
  const catalyst: Catalyst = await createCatalyst(
    { db: file, emitter: { handleSignals: false }, pluginOptions: { portfolio: { accountId: 'acct' } } },
    { plugins: [positionPlugin, portfolioPlugin], clock, reporter },
  );
  const written: StoredEvent[] = [];
  catalyst.emitter.onAll((e) => void written.push(e));
  return { catalyst, account: catalyst.bind(new Account()), written, errors };
}

const fill = (position_id: string, trade_id: string, side: 'buy' | 'sell', quantity: number, price: number) => ({
  position_id,
  trade_id,
  ticker: 'AAPL',
  side,
  quantity,
  price,
  commission: 1,
});

describe('portfolio across a bot restart', () => {
  const tmp = tempDir('portfolio-restart-');
  afterEach(() => tmp.cleanup());

  it("the day's P&L covers trades from before the restart and follows the last snapshot", async () => {
    const file = tmp.file('events.db');
    const clock = new ManualClock(T0);
    const one = await boot(file, clock);
    // p1: a whole round trip before the restart: (11 - 10) * 10 - 2 = 8
    one.account.fill(fill('p1', 't1', 'buy', 10, 10));
    one.account.fill(fill('p1', 't2', 'sell', 10, 11));
    // p2: half sold before the restart: (11 - 10) * 50 - 1 - 0.5 = 48.5
    one.account.fill(fill('p2', 't3', 'buy', 100, 10));
    one.account.fill(fill('p2', 't4', 'sell', 50, 11));
    clock.advance(60_000);
    one.account.snapshot();
    const snapshot = one.written.at(-1)!;
    expect(snapshot.event_type).toBe('PORTFOLIO_SNAPSHOT_CREATED');
    await one.catalyst.close();

    clock.advance(60_000);
    const two = await boot(file, clock);
    // the rest of p2: (12 - 10) * 50 - 1 - 0.5 = 98.5, so p2 made 147 in all
    two.account.fill(fill('p2', 't5', 'sell', 50, 12));
    two.account.endOfDay();
    expect(two.errors).toEqual([]);
    expect(two.written.map((e) => e.event_type)).toEqual(['POSITION_CLOSED', 'DAILY_PNL_CALCULATED']);
    expect(two.written[0]!.payload.realized_pnl).toBeCloseTo(147, 9);
    const daily = two.written[1]!;
    expect(daily.payload).toMatchObject({ date: '2025-01-02', unrealized_pnl: 20, trades: 2 });
    expect(daily.payload.realized_pnl).toBeCloseTo(8 + 147, 9);
    expect(daily.payload.total_pnl).toBeCloseTo(8 + 147 + 20, 9);
    // The day's P&L continues the account's chain: its cause is the snapshot it read.
    expect(daily.metadata.causation_id).toBe(snapshot.event_id);
    expect(daily.metadata.correlation_id).toBe(snapshot.metadata.correlation_id);
    await two.catalyst.close();
  });

  it('a close the next day counts only what the earlier reductions did not', async () => {
    const file = tmp.file('two-days.db');
    const clock = new ManualClock(T0);
    const one = await boot(file, clock);
    one.account.fill(fill('p1', 't1', 'buy', 100, 10));
    one.account.fill(fill('p1', 't2', 'sell', 50, 11)); // 48.5 on day 1
    await one.catalyst.close();

    clock.advance(DAY);
    const two = await boot(file, clock);
    two.account.fill(fill('p1', 't3', 'sell', 50, 12)); // closes: 147 in all, 98.5 of it today
    two.account.endOfDay();
    const daily = two.written.at(-1)!;
    expect(daily.event_type).toBe('DAILY_PNL_CALCULATED');
    expect(daily.payload).toMatchObject({ date: '2025-01-03', trades: 1, unrealized_pnl: 0 });
    expect(daily.payload.realized_pnl).toBeCloseTo(98.5, 9);
    expect(two.errors).toEqual([]);
    await two.catalyst.close();
  });
});
