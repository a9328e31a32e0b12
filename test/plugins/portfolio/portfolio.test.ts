import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalyst, loadConfig, ManualClock, type Catalyst } from '../../../src-core';
import { portfolioReducer, type PortfolioState } from '../../../examples/portfolio-plugin';
import { tempDir } from '../../support/temp';
import { foldFrozen, stream } from '../events';
import { T0 } from '../catalyst';
import { Account } from './account';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pluginFile = fileURLToPath(new URL('../../../examples/portfolio-plugin/index.ts', import.meta.url));

describe('portfolio reducer', () => {
  it('tracks the latest snapshot, equity curve, high-water mark, drawdown and P&L by day', () => {
    const e = stream('portfolio', 'acct');
    const state = foldFrozen(portfolioReducer, 'acct', [
      e('PORTFOLIO_SNAPSHOT_CREATED', { cash: 10_000, equity: 10_000, positions: 0 }),
      e('PORTFOLIO_SNAPSHOT_CREATED', { cash: 5_000, equity: 11_000, positions: [{ ticker: 'AAPL', quantity: 10 }] }),
      e('PORTFOLIO_SNAPSHOT_CREATED', { cash: 5_000, equity: 9_900, positions: 1 }),
      e('DAILY_PNL_CALCULATED', { date: '2025-01-02', realized_pnl: 100, unrealized_pnl: -50 }),
      e('DAILY_PNL_CALCULATED', { date: '2025-01-02', realized_pnl: 120, unrealized_pnl: -60 }), // recalculated
      e('DAILY_PNL_CALCULATED', { date: '2025-01-03', realized_pnl: -20, unrealized_pnl: 0 }),
    ]);
    expect(state).toMatchObject({ cash: 5_000, equity: 9_900, position_count: 1, snapshots: 3, high_water_mark: 11_000 });
    expect(state.max_drawdown).toBeCloseTo(0.1, 12);
    expect(state.equity_curve.map((p) => p.equity)).toEqual([10_000, 11_000, 9_900]);
    expect(state.daily_pnl['2025-01-02']).toMatchObject({ realized_pnl: 120, unrealized_pnl: -60, total_pnl: 60 });
    expect(state.realized_pnl_total).toBe(100);
    expect(state.anomalies).toEqual([]);
  });
});

describe('portfolio, loaded through the config by path', () => {
  let tmp: ReturnType<typeof tempDir>;
  let catalyst: Catalyst;
  let configFile: string;
  beforeEach(() => {
    tmp = tempDir('portfolio-');
    configFile = tmp.file('catalyst-events.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        db: './events.db',
        plugins: ['catalyst-events/plugins/order', 'catalyst-events/plugins/position', `./${relative(tmp.dir, pluginFile)}`],
        pluginOptions: { portfolio: { accountId: 'paper-1' } },
        emitter: { handleSignals: false },
      }),
    );
  });
  afterEach(async () => {
    await catalyst?.close();
    tmp.cleanup();
  });

  it("records snapshots and totals the day's realized P&L from the position events it observed", async () => {
    catalyst = await createCatalyst(loadConfig({ cwd: tmp.dir }), { clock: new ManualClock(T0) });
    expect(catalyst.plugins.loaded().map((p) => p.name)).toEqual(['order', 'position', 'portfolio']);
    const account = catalyst.bind(new Account());
    account.fill({ position_id: 'p1', trade_id: 't1', ticker: 'AAPL', side: 'buy', quantity: 100, price: 10, commission: 1 });
    account.fill({ position_id: 'p1', trade_id: 't2', ticker: 'AAPL', side: 'sell', quantity: 50, price: 11, commission: 1 });
    account.fill({ position_id: 'p1', trade_id: 't3', ticker: 'AAPL', side: 'sell', quantity: 50, price: 12, commission: 1 });
    account.snapshot();
    account.endOfDay();

    const { state } = await catalyst.rebuilder.rebuild<PortfolioState>('portfolio', 'paper-1');
    expect(state).toMatchObject({ cash: 8_000, equity: 10_120, unrealized_pnl: 20, snapshots: 1 });
    // (11 - 10) * 50 - 1 - 0.5  +  (12 - 10) * 50 - 1 - 0.5 = 147
    expect(state.daily_pnl['2025-01-02']).toMatchObject({ realized_pnl: 147, unrealized_pnl: 20, total_pnl: 167, trades: 1 });
  });

  it('under tsx in a child process, as a bot runs it', () => {
    const entry = fileURLToPath(new URL('./fixtures/portfolio-entry.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', entry, configFile], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const result = JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(result).toEqual({ ok: true, loaded: ['order', 'position', 'portfolio'], equity: 10_050, unrealized: 50 });
  });
});
