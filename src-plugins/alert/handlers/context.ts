/**
 * What the alert plugin's handlers share, one per plugin instance (created by `attach`): the
 * runtime that emits decisions, and the shape of the hooks that describe a call after it.
 */
import type { PluginContext } from '../../../src-core';
import type { HookOptions } from '../../shared/hook-options';
import { requireKeys, resolveInputs, type Call, type Input } from '../../shared/input';
import { PluginRuntime } from '../../shared/plugin-runtime';
import type { AlertDecision } from '../decide';
import { ALERT_EVENTS, type AlertEventType } from '../events';

export class AlertHandlers {
  readonly rt: PluginRuntime<typeof ALERT_EVENTS>;

  constructor(readonly ctx: PluginContext) {
    this.rt = new PluginRuntime(ctx, ALERT_EVENTS);
  }

  emit(decision: AlertDecision | null): void {
    if (decision !== null) this.rt.emit(decision);
  }

  /**
   * One event per input after the call; no id and no result means "nothing happened".
   * Hooks that describe their result (`fromResult` given) have nothing to say without one.
   */
  after(
    point: string,
    eventType: AlertEventType,
    keys: readonly string[],
    decide: (input: Input) => AlertDecision,
    fromResult: ((result: unknown) => Input) | null = null,
  ): void {
    const emit = (d: AlertDecision): void => this.emit(d);
    this.ctx.hooks.on<HookOptions<unknown> | undefined>(point, {
      after(call: Call, result: unknown) {
        if (result === false) return; // the method says it did not happen
        if (fromResult !== null && (result === null || result === undefined) && call.options?.map === undefined) return;
        for (const raw of resolveInputs(call, result, 'after', keys)) {
          const input = { ...fromResult?.(result), ...raw };
          if ((input.alert_id === undefined || input.alert_id === null) && (result === null || result === undefined)) continue;
          requireKeys(eventType, input, ['alert_id']);
          emit(decide(input));
        }
      },
    });
  }
}
