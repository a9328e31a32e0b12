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
import {
  hook,
  type HookDecorator,
  isCorruptEvent,
  ValidationError,
  type ChainRef,
  type HookCall,
  type PluginContext,
  type PluginHistory,
  type StoredEvent,
} from 'catalyst-events';
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
  snapshot: (options: PortfolioHookOptions<SnapshotInput> = {}): HookDecorator => hook(PORTFOLIO_POINTS.snapshot, options),
  dailyPnl: (options: PortfolioHookOptions<DailyPnlInput> = {}): HookDecorator => hook(PORTFOLIO_POINTS.dailyPnl, options),
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

interface Day {
  realized: number;
  trades: number;
  /** Log position up to which the day was read back from the log (0: nothing read). */
  readUpTo: number;
}

const DAY_MS = 86_400_000;
const REALIZING = ['POSITION_REDUCED', 'POSITION_CLOSED'];

/**
 * Realized P&L by day, from the position events any plugin emits (observed through the
 * emitter). A day first met after a restart is read back from the log first, so the figure
 * covers the whole day, not just what this process saw. (It counts every position in the
 * file: one file serves one bot.)
 */
class RealizedByDay {
  private readonly days = new Map<string, Day>();
  /** Realized so far on positions still open (their reductions), so a close adds only its own part. */
  private readonly partial = new Map<string, number>();

  constructor(private readonly history: PluginHistory) {}

  observe(event: StoredEvent): void {
    if (!REALIZING.includes(event.event_type) || finite(event.payload.realized_pnl) === null) return;
    const day = this.day(utcDate(event.created_at), event.position);
    if (event.position <= day.readUpTo) return; // counted when the day was read back
    this.count(day, event);
  }

  get(date: string): { realized: number; trades: number } {
    return this.day(date, null);
  }

  private count(day: Day, event: StoredEvent): void {
    const realized = finite(event.payload.realized_pnl)!;
    const id = event.aggregate_id;
    if (event.event_type === 'POSITION_REDUCED') {
      day.realized += realized;
      this.partial.set(id, (this.partial.get(id) ?? 0) + realized);
    } else {
      day.realized += realized - this.reducedBefore(event); // the close states the position's total
      day.trades += 1;
      this.partial.delete(id);
    }
  }

  /** What the position's reductions before `close` realized: from its history, which a restart cannot lose. */
  private reducedBefore(close: StoredEvent): number {
    if (!this.history.available) return this.partial.get(close.aggregate_id) ?? 0;
    let sum = 0;
    for (const e of this.history.events(close.aggregate_type, close.aggregate_id, { toSequence: close.sequence_number - 1 })) {
      if (e.event_type === 'POSITION_REDUCED') sum += finite(e.payload.realized_pnl) ?? 0;
    }
    return sum;
  }

  /** The day's figures; a day not met yet is read from the log (events before `before`, or all committed). */
  private day(date: string, before: number | null): Day {
    let day = this.days.get(date);
    if (day !== undefined) return day;
    day = { realized: 0, trades: 0, readUpTo: 0 };
    this.days.set(date, day);
    if (this.days.size > DAYS_KEPT) this.days.delete(this.days.keys().next().value!);
    this.readBack(date, day, before);
    return day;
  }

  private readBack(date: string, day: Day, before: number | null): void {
    const since = Date.parse(`${date}T00:00:00.000Z`);
    if (!this.history.available || Number.isNaN(since)) return;
    let after: number | undefined;
    do {
      const page = this.history.page({ types: REALIZING, since, until: since + DAY_MS - 1 }, { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const record of page.records) {
        if (before !== null && record.position >= before) return;
        day.readUpTo = record.position;
        if (!isCorruptEvent(record) && finite(record.payload.realized_pnl) !== null) this.count(day, record);
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
}

/** Attaches the handlers; all state lives in this closure, one per plugin instance. */
export function registerPortfolioHooks(ctx: PluginContext, accountId: string): void {
  const realizedByDay = new RealizedByDay(ctx.history);
  /** Unrealized P&L of each account's latest snapshot (read from the log after a restart). */
  const lastUnrealized = new Map<string, number | null>();
  ctx.emitter.onAll((event) => realizedByDay.observe(event));

  const accountOf = (input: Input): string => (typeof input.account_id === 'string' && input.account_id ? input.account_id : accountId);

  const unrealizedOf = (account: string): number | null => {
    if (!lastUnrealized.has(account)) {
      const page = ctx.history.page(
        { aggregateType: PORTFOLIO_AGGREGATE, aggregateId: account, types: ['PORTFOLIO_SNAPSHOT_CREATED'] },
        { limit: 1, direction: 'backward' },
      );
      const last = page.records[0];
      lastUnrealized.set(account, last && !isCorruptEvent(last) ? finite(last.payload.unrealized_pnl) : null);
    }
    return lastUnrealized.get(account) ?? null;
  };

  /**
   * A snapshot starts its own causal chain; a day's P&L continues the account's chain, so
   * its cause is the snapshot it read (the core's chains find it after a restart too).
   */
  const emit = (eventType: string, account: string, payload: Input, follow: readonly (ChainRef | null)[]): void => {
    ctx.chains.emit({ event_type: eventType, aggregate_type: PORTFOLIO_AGGREGATE, aggregate_id: account, payload }, follow);
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
      const account = accountOf(input);
      lastUnrealized.set(account, unrealized);
      emit('PORTFOLIO_SNAPSHOT_CREATED', account, {
        cash: input.cash,
        equity: input.equity,
        positions,
        unrealized_pnl: unrealized,
        realized_pnl: finite(input.realized_pnl),
      }, []);
    },
  });

  ctx.hooks.on<PortfolioHookOptions<Input> | undefined>(PORTFOLIO_POINTS.dailyPnl, {
    after(call: Call, result: unknown) {
      const input = inputOf(call, result);
      if (input === null) return;
      const date = typeof input.date === 'string' ? input.date : utcDate(ctx.clock.now());
      const account = accountOf(input);
      const given = finite(input.realized_pnl);
      const givenTrades = finite(input.trades);
      // Read the day back from the log only for what the bot did not pass.
      const seen = given === null || givenTrades === null ? realizedByDay.get(date) : undefined;
      const realized = given ?? seen?.realized ?? 0;
      const unrealized = finite(input.unrealized_pnl) ?? unrealizedOf(account) ?? 0;
      emit('DAILY_PNL_CALCULATED', account, {
        date,
        realized_pnl: realized,
        unrealized_pnl: unrealized,
        total_pnl: realized + unrealized,
        trades: givenTrades ?? seen?.trades ?? 0,
      }, [ctx.chains.ref(PORTFOLIO_AGGREGATE, account)]);
    },
  });
}
