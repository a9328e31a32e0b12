/**
 * What the risk plugin's handlers share, one per plugin instance (created by `attach`): the
 * runtime that emits decisions and the default book id.
 */
import type { PluginContext } from '../../../src-core';
import type { HookOptions } from '../../shared/hook-options';
import { resolveInputs, type Call, type Input } from '../../shared/input';
import { PluginRuntime } from '../../shared/plugin-runtime';
import type { RiskDecision } from '../decide';
import { RISK_EVENTS } from '../events';
import type { RiskOptions } from '../options';

export class RiskHandlers {
  readonly rt: PluginRuntime<typeof RISK_EVENTS>;

  constructor(
    readonly ctx: PluginContext,
    readonly options: RiskOptions,
  ) {
    this.rt = new PluginRuntime(ctx, RISK_EVENTS);
  }

  emit(decision: RiskDecision | null): void {
    if (decision !== null) this.rt.emit(decision);
  }

  /** Runs `decide` for each input after each call of `point`. */
  after(point: string, keys: readonly string[], decide: (input: Input, call: Call) => RiskDecision | null): void {
    const emit = (d: RiskDecision | null): void => this.emit(d);
    this.ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        for (const input of resolveInputs(call, result, 'after', keys)) emit(decide(input, call));
      },
    });
  }
}
