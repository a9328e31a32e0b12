/**
 * Portfolio hook points, for a bot's account methods.
 *
 * ```ts
 * import { PortfolioHooks } from './examples/portfolio-plugin';   // or the plugin's package
 *
 * class Account {
 *   @PortfolioHooks.snapshot()     // result: { cash, equity, positions: [{ ticker, quantity, ... }] | count }
 *   snapshot() { return { cash: this.cash, equity: this.equity(), positions: this.held() }; }
 *
 *   @PortfolioHooks.dailyPnl()     // result (all optional): { date, realized_pnl, unrealized_pnl, trades }
 *   endOfDay() { return { unrealized_pnl: this.unrealized() }; }
 * }
 * ```
 *
 * The default input is the first argument overlaid by the result (when objects); `map`
 * adapts any other signature (return null to emit nothing). `dailyPnl` fills what it is not
 * given: `date` = today (UTC, from the catalyst's clock), `realized_pnl` and `trades` from
 * that day's POSITION_REDUCED / POSITION_CLOSED events (any plugin's: observed through the
 * emitter, and read back from the log for a day that began before a restart),
 * `unrealized_pnl` from the account's last snapshot (in the log, after a restart).
 *
 * Causality: each snapshot starts its own chain; DAILY_PNL_CALCULATED continues the
 * account's chain (`ctx.chains`), so its causation id is the snapshot it read.
 */
import { hook, type HookDecorator } from 'catalyst-events';

export const PORTFOLIO_POINTS = {
  snapshot: 'portfolio.snapshot',
  dailyPnl: 'portfolio.dailyPnl',
} as const;

export interface HeldPositionInput {
  position_id?: string | null;
  ticker: string;
  side?: 'long' | 'short' | null;
  quantity: number;
  market_value?: number | null;
  unrealized_pnl?: number | null;
}

/** `@PortfolioHooks.snapshot()` -> PORTFOLIO_SNAPSHOT_CREATED */
export interface SnapshotInput {
  /** Default: the plugin option `accountId`, else 'default'. */
  account_id?: string;
  cash: number;
  equity: number;
  positions: HeldPositionInput[] | number;
  unrealized_pnl?: number | null;
  realized_pnl?: number | null;
}

/** `@PortfolioHooks.dailyPnl()` -> DAILY_PNL_CALCULATED */
export interface DailyPnlInput {
  account_id?: string;
  /** YYYY-MM-DD; default today (UTC). */
  date?: string;
  realized_pnl?: number;
  unrealized_pnl?: number;
  trades?: number;
}

export interface PortfolioHookOptions<I> {
  map?: (args: readonly unknown[], result: unknown) => Partial<I> | null | undefined;
}

export const PortfolioHooks = {
  snapshot: (options: PortfolioHookOptions<SnapshotInput> = {}): HookDecorator => hook(PORTFOLIO_POINTS.snapshot, options),
  dailyPnl: (options: PortfolioHookOptions<DailyPnlInput> = {}): HookDecorator => hook(PORTFOLIO_POINTS.dailyPnl, options),
} as const;
