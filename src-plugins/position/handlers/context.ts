/**
 * What the position plugin's handlers share, one per plugin instance (created by `attach`):
 * the runtime that emits decisions, the live position states they decide on, and the
 * per-ticker lookup of positions the log holds open (a `(ticker, price)` update after a restart).
 */
import { isCorruptEvent, type PluginContext } from '../../../src-core';
import { BoundedMap } from '../../shared/bounded-map';
import type { HookOptions } from '../../shared/hook-options';
import { resolveInputs, type Call, type Input } from '../../shared/input';
import { LiveStates } from '../../shared/live-states';
import { PluginRuntime } from '../../shared/plugin-runtime';
import type { PositionDecision } from '../decide';
import { POSITION_AGGREGATE, POSITION_EVENTS } from '../events';
import type { PositionOptions } from '../options';
import type { PositionReducer, PositionState } from '../reducer';

export class PositionHandlers {
  readonly rt: PluginRuntime<typeof POSITION_EVENTS>;
  /** Live position state, folded with the same reducer the rebuilder uses (rebuilt from the log on a miss). */
  readonly positions: LiveStates<PositionState>;
  /** Tickers whose open positions in the log have been looked for. */
  private readonly tickersLoaded = new BoundedMap<string, true>();

  constructor(
    readonly ctx: PluginContext,
    reducer: PositionReducer,
    readonly options: PositionOptions,
  ) {
    this.rt = new PluginRuntime(ctx, POSITION_EVENTS);
    this.positions = new LiveStates(ctx.history, reducer);
  }

  /** Emits a decision and advances the position's live state. */
  emit(decision: PositionDecision | null): void {
    if (decision === null) return;
    this.positions.advance(decision.aggregateId, () => this.rt.emit(decision));
  }

  /** The live state of the input's position (undefined without a position_id: the decide function names the missing key). */
  live(input: Input): PositionState | undefined {
    const id = input.position_id;
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the key must be exactly decideOpen's aggregate id, String(input.position_id), whatever the bot passed
    return id === undefined || id === null || id === '' ? undefined : this.positions.get(String(id));
  }

  /** Runs `handle` after each call of `point` for each of its inputs; a method returning `false` says it did not happen. */
  after(point: string, keys: readonly string[], handle: (input: Input, call: Call) => void): void {
    this.ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        if (result === false) return; // the method says it did not happen
        for (const input of resolveInputs(call, result, 'after', keys)) handle(input, call);
      },
    });
  }

  /** Positions open in `ticker`: those in memory, plus (once per ticker) those the log holds open. */
  openIn(ticker: string): PositionState[] {
    if (!this.tickersLoaded.has(ticker)) {
      this.tickersLoaded.set(ticker, true);
      this.loadOpenPositions(ticker);
    }
    const open: PositionState[] = [];
    for (const p of this.positions.values()) if (p.status === 'open' && p.ticker === ticker) open.push(p);
    return open;
  }

  private loadOpenPositions(ticker: string): void {
    const { history } = this.ctx;
    let after: number | undefined;
    do {
      const page = history.page(
        { types: ['POSITION_OPENED'], aggregateType: POSITION_AGGREGATE, text: ticker },
        { limit: 500, ...(after === undefined ? {} : { after }) },
      );
      for (const record of page.records) {
        if (isCorruptEvent(record) || record.payload.ticker !== ticker || this.positions.has(record.aggregate_id)) continue;
        if (history.last(POSITION_AGGREGATE, record.aggregate_id)?.event_type === 'POSITION_CLOSED') continue;
        this.positions.get(record.aggregate_id); // rebuilt into memory
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
}
