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
 * the POSITION_REDUCED / POSITION_CLOSED events it saw that day (any plugin's, read from the
 * emitter), `unrealized_pnl` from the last snapshot.
 */
import { hook, ValidationError, type HookCall, type PluginContext, type StoredEvent } from 'catalyst-events';
import { PORTFOLIO_AGGREGATE } from './events';

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
  snapshot: (options: PortfolioHookOptions<SnapshotInput> = {}): MethodDecorator => hook(PORTFOLIO_POINTS.snapshot, options),
  dailyPnl: (options: PortfolioHookOptions<DailyPnlInput> = {}): MethodDecorator => hook(PORTFOLIO_POINTS.dailyPnl, options),
} as const;

// ---------------------------------------------------------------------------------------

type Input = Record<string, unknown>;
type Call = HookCall<PortfolioHookOptions<Input> | undefined>;

const isRecord = (v: unknown): v is Input => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Days of observed realized P&L kept in memory. */
const DAYS_KEPT = 31;

function inputOf(call: Call, result: unknown): Input | null {
  const base: Input = { ...(isRecord(call.args[0]) ? call.args[0] : {}), ...(isRecord(result) ? result : {}) };
  const map = call.options?.map;
  if (map === undefined) return base;
  const mapped = map(call.args, result);
  if (mapped === null) return null;
  return { ...base, ...(mapped ?? {}) };
}

function requireKeys(eventType: string, input: Input, keys: readonly string[]): void {
  const absent = keys.filter((k) => input[k] === undefined || input[k] === null);
  if (absent.length > 0) {
    throw new ValidationError(eventType, absent.map((k) => ({ path: `payload.${k}`, message: 'required; adapt the call with `map`' })));
  }
}

/** Realized P&L by day, from the position events any plugin emits (read through the emitter only). */
class RealizedByDay {
  private readonly days = new Map<string, { realized: number; trades: number }>();
  /** Realized so far on positions still open (their reductions), so a close adds only its own part. */
  private readonly partial = new Map<string, number>();

  observe(event: StoredEvent): void {
    if (event.event_type !== 'POSITION_REDUCED' && event.event_type !== 'POSITION_CLOSED') return;
    const realized = finite(event.payload.realized_pnl);
    if (realized === null) return;
    const id = event.aggregate_id;
    const soFar = this.partial.get(id) ?? 0;
    const day = this.day(utcDate(event.created_at));
    if (event.event_type === 'POSITION_REDUCED') {
      day.realized += realized;
      this.partial.set(id, soFar + realized);
    } else {
      day.realized += realized - soFar; // the close states the position's total
      day.trades += 1;
      this.partial.delete(id);
    }
  }

  get(date: string): { realized: number; trades: number } | undefined {
    return this.days.get(date);
  }

  private day(date: string): { realized: number; trades: number } {
    let day = this.days.get(date);
    if (day === undefined) {
      day = { realized: 0, trades: 0 };
      this.days.set(date, day);
      if (this.days.size > DAYS_KEPT) this.days.delete(this.days.keys().next().value!);
    }
    return day;
  }
}

/** Attaches the handlers; all state lives in this closure, one per plugin instance. */
export function registerPortfolioHooks(ctx: PluginContext, accountId: string): void {
  const realizedByDay = new RealizedByDay();
  let lastUnrealized: number | null = null;
  ctx.emitter.onAll((event) => realizedByDay.observe(event));

  const emit = (eventType: string, input: Input, payload: Input): void => {
    ctx.emitter.emit({
      event_type: eventType,
      aggregate_type: PORTFOLIO_AGGREGATE,
      aggregate_id: typeof input.account_id === 'string' && input.account_id ? input.account_id : accountId,
      payload,
    });
  };

  ctx.hooks.on<PortfolioHookOptions<Input> | undefined>(PORTFOLIO_POINTS.snapshot, {
    after(call: Call, result: unknown) {
      const input = inputOf(call, result);
      if (input === null) return;
      requireKeys('PORTFOLIO_SNAPSHOT_CREATED', input, ['cash', 'equity', 'positions']);
      const positions = Array.isArray(input.positions) ? input.positions.filter(isRecord) : input.positions;
      const unrealized =
        finite(input.unrealized_pnl) ??
        (Array.isArray(positions) ? positions.reduce((sum: number, p) => sum + (finite(p.unrealized_pnl) ?? 0), 0) : null);
      lastUnrealized = unrealized;
      emit('PORTFOLIO_SNAPSHOT_CREATED', input, {
        cash: input.cash,
        equity: input.equity,
        positions,
        unrealized_pnl: unrealized,
        realized_pnl: finite(input.realized_pnl),
      });
    },
  });

  ctx.hooks.on<PortfolioHookOptions<Input> | undefined>(PORTFOLIO_POINTS.dailyPnl, {
    after(call: Call, result: unknown) {
      const input = inputOf(call, result);
      if (input === null) return;
      const date = typeof input.date === 'string' ? input.date : utcDate(ctx.clock.now());
      const seen = realizedByDay.get(date);
      const realized = finite(input.realized_pnl) ?? seen?.realized ?? 0;
      const unrealized = finite(input.unrealized_pnl) ?? lastUnrealized ?? 0;
      emit('DAILY_PNL_CALCULATED', input, {
        date,
        realized_pnl: realized,
        unrealized_pnl: unrealized,
        total_pnl: realized + unrealized,
        trades: finite(input.trades) ?? seen?.trades ?? 0,
      });
    },
  });
}
