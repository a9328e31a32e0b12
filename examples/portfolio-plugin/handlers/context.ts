/**
 * What the portfolio plugin's handlers share, one per plugin instance (created by `attach`):
 * the day's realized P&L observed from position events, each account's last unrealized
 * P&L (read from the log after a restart), and the emit of a decision.
 */
import { isCorruptEvent, type HookCall, type PluginContext } from 'catalyst-events';
import type { PortfolioHookOptions } from '../decorators';
import { finite, isRecord, type Input, type PortfolioDecision } from '../decide';
import { PORTFOLIO_AGGREGATE, PORTFOLIO_EVENTS } from '../events';
import { RealizedByDay } from './realized-by-day';

export type Call = HookCall<PortfolioHookOptions<Input> | undefined>;

export class PortfolioHandlers {
  readonly realizedByDay: RealizedByDay;
  /** Unrealized P&L of each account's latest snapshot. */
  private readonly lastUnrealized = new Map<string, number | null>();

  constructor(
    readonly ctx: PluginContext,
    private readonly accountId: string,
  ) {
    this.realizedByDay = new RealizedByDay(ctx.history);
    ctx.emitter.onAll((event) => this.realizedByDay.observe(event));
  }

  /** The call's input: the first argument overlaid by the result, then `map`'s answer (null: nothing to emit). */
  inputOf(call: Call, result: unknown): Input | null {
    const base: Input = { ...(isRecord(call.args[0]) ? call.args[0] : {}), ...(isRecord(result) ? result : {}) };
    const map = call.options?.map;
    if (map === undefined) return base;
    const mapped = map(call.args, result);
    if (mapped === null) return null;
    return { ...base, ...(mapped ?? {}) };
  }

  accountOf(input: Input): string {
    return typeof input.account_id === 'string' && input.account_id ? input.account_id : this.accountId;
  }

  /** The account's last snapshot's unrealized P&L: remembered, else read from the log once. */
  unrealizedOf(account: string): number | null {
    if (!this.lastUnrealized.has(account)) {
      const page = this.ctx.history.page(
        { aggregateType: PORTFOLIO_AGGREGATE, aggregateId: account, types: ['PORTFOLIO_SNAPSHOT_CREATED'] },
        { limit: 1, direction: 'backward' },
      );
      const last = page.records[0];
      this.lastUnrealized.set(account, last && !isCorruptEvent(last) ? finite(last.payload.unrealized_pnl) : null);
    }
    return this.lastUnrealized.get(account) ?? null;
  }

  emit(decision: PortfolioDecision): void {
    if (decision.eventType === 'PORTFOLIO_SNAPSHOT_CREATED')
      this.lastUnrealized.set(decision.accountId, finite(decision.payload.unrealized_pnl));
    this.ctx.chains.emit(
      {
        event_type: decision.eventType,
        aggregate_type: PORTFOLIO_EVENTS[decision.eventType].aggregateType,
        aggregate_id: decision.accountId,
        payload: decision.payload,
      },
      decision.follow,
    );
  }
}
