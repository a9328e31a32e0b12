/**
 * The `portfolio` aggregate (one per account): the latest snapshot, the equity curve with its
 * high-water mark and drawdown, and P&L by day (a day recalculated replaces its figures).
 * Pure: times come from the events.
 */
import type { ReducerDefinition, StoredEvent } from 'catalyst-events';
import { PORTFOLIO_AGGREGATE, type PortfolioEventType } from './events';

export const PORTFOLIO_REDUCER_VERSION = 1;
/** Points kept on the equity curve; the log keeps them all. */
export const EQUITY_POINTS = 1_000;

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

export function reducePortfolio(state: PortfolioState, event: StoredEvent): PortfolioState {
  const p = event.payload;
  if (event.event_type === ('PORTFOLIO_SNAPSHOT_CREATED' satisfies PortfolioEventType)) {
    const cash = finite(p.cash);
    const equity = finite(p.equity);
    if (cash === null || equity === null) {
      return { ...state, anomalies: [...state.anomalies, { sequence_number: event.sequence_number, event_type: event.event_type, reason: 'invalid_snapshot' }] };
    }
    const high = Math.max(state.high_water_mark ?? equity, equity);
    const drawdown = high > 0 ? (high - equity) / high : 0;
    const curve = [...state.equity_curve, { timestamp: event.created_at, equity, cash }];
    return {
      ...state,
      cash,
      equity,
      positions: p.positions ?? [],
      position_count: Array.isArray(p.positions) ? p.positions.length : (finite(p.positions) ?? 0),
      unrealized_pnl: finite(p.unrealized_pnl),
      snapshots: state.snapshots + 1,
      last_snapshot_at: event.created_at,
      equity_curve: curve.length > EQUITY_POINTS ? curve.slice(curve.length - EQUITY_POINTS) : curve,
      high_water_mark: high,
      max_drawdown: Math.max(state.max_drawdown, drawdown),
    };
  }
  if (event.event_type === ('DAILY_PNL_CALCULATED' satisfies PortfolioEventType)) {
    const date = typeof p.date === 'string' ? p.date : null;
    const realized = finite(p.realized_pnl);
    const unrealized = finite(p.unrealized_pnl);
    if (date === null || realized === null || unrealized === null) {
      return { ...state, anomalies: [...state.anomalies, { sequence_number: event.sequence_number, event_type: event.event_type, reason: 'invalid_daily_pnl' }] };
    }
    const previous = state.daily_pnl[date];
    return {
      ...state,
      daily_pnl: {
        ...state.daily_pnl,
        [date]: { realized_pnl: realized, unrealized_pnl: unrealized, total_pnl: finite(p.total_pnl) ?? realized + unrealized, trades: finite(p.trades), calculated_at: event.created_at },
      },
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
};

export type PortfolioReducer = ReducerDefinition<PortfolioState>;
