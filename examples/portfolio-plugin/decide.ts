/**
 * What the portfolio plugin emits for a hooked call: pure functions of the call's input and
 * what the handlers read for it (the day's realized P&L, the last snapshot's unrealized),
 * unit-testable without SQLite.
 */
import { ValidationError, type ChainRef } from 'catalyst-events';
import { PORTFOLIO_AGGREGATE, type PortfolioEventType } from './events';

export type Input = Record<string, unknown>;

/** One event to emit, on the account's aggregate. */
export interface PortfolioDecision {
  eventType: PortfolioEventType;
  accountId: string;
  payload: Input;
  /** Chains it may continue (none: it starts its own). */
  follow: readonly (ChainRef | null)[];
}

export const isRecord = (v: unknown): v is Input => typeof v === 'object' && v !== null && !Array.isArray(v);
export const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function requireKeys(eventType: PortfolioEventType, input: Input, keys: readonly string[]): void {
  const absent = keys.filter((k) => input[k] === undefined || input[k] === null);
  if (absent.length > 0) {
    throw new ValidationError(
      eventType,
      absent.map((k) => ({ path: `payload.${k}`, message: 'required; adapt the call with `map`' })),
    );
  }
}

/** A snapshot starts its own causal chain; unrealized P&L is the positions' sum when not given. */
export function decideSnapshot(input: Input, accountId: string): PortfolioDecision {
  requireKeys('PORTFOLIO_SNAPSHOT_CREATED', input, ['cash', 'equity', 'positions']);
  const records = Array.isArray(input.positions) ? input.positions.filter(isRecord) : null;
  const positions = records ?? input.positions;
  const unrealized =
    finite(input.unrealized_pnl) ?? (records ? records.reduce((sum: number, p) => sum + (finite(p.unrealized_pnl) ?? 0), 0) : null);
  return {
    eventType: 'PORTFOLIO_SNAPSHOT_CREATED',
    accountId,
    payload: { cash: input.cash, equity: input.equity, positions, unrealized_pnl: unrealized, realized_pnl: finite(input.realized_pnl) },
    follow: [],
  };
}

/**
 * A day's P&L: what the bot passes, else what the log says (`seen`: the day's realized P&L
 * and closed trades; `lastUnrealized`: the account's last snapshot). It continues the
 * account's chain, so its cause is the snapshot it read.
 */
export function decideDailyPnl(
  input: Input,
  accountId: string,
  date: string,
  seen: { realized: number; trades: number } | undefined,
  lastUnrealized: number | null,
): PortfolioDecision {
  const realized = finite(input.realized_pnl) ?? seen?.realized ?? 0;
  const unrealized = finite(input.unrealized_pnl) ?? lastUnrealized ?? 0;
  return {
    eventType: 'DAILY_PNL_CALCULATED',
    accountId,
    payload: {
      date,
      realized_pnl: realized,
      unrealized_pnl: unrealized,
      total_pnl: realized + unrealized,
      trades: finite(input.trades) ?? seen?.trades ?? 0,
    },
    follow: [{ aggregateType: PORTFOLIO_AGGREGATE, aggregateId: accountId }],
  };
}
