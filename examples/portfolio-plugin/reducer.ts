/**
 * The `portfolio` aggregate (one per account): the latest snapshot, the equity curve with its
 * high-water mark and drawdown, and P&L by day (a day recalculated replaces its figures).
 * Pure: times come from the events.
 */
import type { LeanEvent, ReducerDefinition } from 'catalyst-events';
import { PORTFOLIO_AGGREGATE, type PortfolioEventType } from './events';

/** 2: `daily_pnl` keeps the last DAYS_KEPT days and `anomalies` the last ANOMALIES_KEPT (bounded state). */
export const PORTFOLIO_REDUCER_VERSION = 2;
/** Points kept on the equity curve; the log keeps them all. */
export const EQUITY_POINTS = 1_000;
/**
 * Days kept in `daily_pnl` (the latest calculated; the log keeps every day, `realized_pnl_total`
 * sums them all). Small on purpose: an object of more than ~64 keys goes to dictionary mode in
 * V8, where the copy each event makes costs ~30x more.
 */
export const DAYS_KEPT = 60;
/** Anomalies kept, the latest. */
export const ANOMALIES_KEPT = 100;

/** Append to a window of the last `max` entries without mutating it: at most `max` copied per event. */
function pushBounded<T>(list: readonly T[], item: T, max: number): T[] {
  const next = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  next.push(item);
  return next;
}

/** `days` with `date` set (a day recalculated keeps its place), the oldest days dropped past DAYS_KEPT. */
function withDay(days: Record<string, DayPnl>, date: string, day: DayPnl): Record<string, DayPnl> {
  if (Object.hasOwn(days, date)) return { ...days, [date]: day };
  const entries = Object.entries(days);
  if (entries.length >= DAYS_KEPT) entries.splice(0, entries.length - DAYS_KEPT + 1);
  entries.push([date, day]);
  return Object.fromEntries(entries);
}

export interface DayPnl {
  realized_pnl: number;
  unrealized_pnl: number;
  total_pnl: number;
  trades: number | null;
  calculated_at: number;
}

export interface PortfolioState {
  account_id: string;
  cash: number | null;
  equity: number | null;
  positions: unknown;
  position_count: number;
  unrealized_pnl: number | null;
  snapshots: number;
  last_snapshot_at: number | null;
  equity_curve: Array<{ timestamp: number; equity: number; cash: number }>;
  high_water_mark: number | null;
  /** Largest fall from a high-water mark, as a fraction of it (0.1 = 10 %). */
  max_drawdown: number;
  daily_pnl: Record<string, DayPnl>;
  /** Sum of the days' realized P&L. */
  realized_pnl_total: number;
  anomalies: Array<{ sequence_number: number; event_type: string; reason: string }>;
}

export function initialPortfolioState(accountId: string): PortfolioState {
  return {
    account_id: accountId,
    cash: null,
    equity: null,
    positions: [],
    position_count: 0,
    unrealized_pnl: null,
    snapshots: 0,
    last_snapshot_at: null,
    equity_curve: [],
    high_water_mark: null,
    max_drawdown: 0,
    daily_pnl: {},
    realized_pnl_total: 0,
    anomalies: [],
  };
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function reducePortfolio(state: PortfolioState, event: LeanEvent): PortfolioState {
  const p = event.payload;
  if (event.event_type === ('PORTFOLIO_SNAPSHOT_CREATED' satisfies PortfolioEventType)) {
    const cash = finite(p.cash);
    const equity = finite(p.equity);
    if (cash === null || equity === null) {
      return {
        ...state,
        anomalies: pushBounded(
          state.anomalies,
          { sequence_number: event.sequence_number, event_type: event.event_type, reason: 'invalid_snapshot' },
          ANOMALIES_KEPT,
        ),
      };
    }
    const high = Math.max(state.high_water_mark ?? equity, equity);
    const drawdown = high > 0 ? (high - equity) / high : 0;

    return {
      ...state,
      cash,
      equity,
      positions: p.positions ?? [],
      position_count: Array.isArray(p.positions) ? p.positions.length : (finite(p.positions) ?? 0),
      unrealized_pnl: finite(p.unrealized_pnl),
      snapshots: state.snapshots + 1,
      last_snapshot_at: event.created_at,
      equity_curve: pushBounded(state.equity_curve, { timestamp: event.created_at, equity, cash }, EQUITY_POINTS),
      high_water_mark: high,
      max_drawdown: Math.max(state.max_drawdown, drawdown),
    };
  }
  if (event.event_type === ('DAILY_PNL_CALCULATED' satisfies PortfolioEventType)) {
    const date = typeof p.date === 'string' ? p.date : null;
    const realized = finite(p.realized_pnl);
    const unrealized = finite(p.unrealized_pnl);
    if (date === null || realized === null || unrealized === null) {
      return {
        ...state,
        anomalies: pushBounded(
          state.anomalies,
          { sequence_number: event.sequence_number, event_type: event.event_type, reason: 'invalid_daily_pnl' },
          ANOMALIES_KEPT,
        ),
      };
    }
    const previous = state.daily_pnl[date];
    return {
      ...state,
      daily_pnl: withDay(state.daily_pnl, date, {
        realized_pnl: realized,
        unrealized_pnl: unrealized,
        total_pnl: finite(p.total_pnl) ?? realized + unrealized,
        trades: finite(p.trades),
        calculated_at: event.created_at,
      }),
      realized_pnl_total: state.realized_pnl_total - (previous?.realized_pnl ?? 0) + realized,
    };
  }
  return state;
}

export const portfolioReducer: ReducerDefinition<PortfolioState> = {
  aggregateType: PORTFOLIO_AGGREGATE,
  version: PORTFOLIO_REDUCER_VERSION,
  initialState: initialPortfolioState,
  reduce: reducePortfolio,
  // The fold reads no metadata or position (its event parameter is a LeanEvent): a rebuild reads neither column.
  leanEvents: true,
};

export type PortfolioReducer = ReducerDefinition<PortfolioState>;
