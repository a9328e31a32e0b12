/** `alert.rateLimit` -> ALERT_RATE_LIMITED only when limited (a boolean result is `limited`; a throw counts as limited). */
import type { HookOptions } from '../../shared/hook-options';
import { requireKeys, resolveError, resolveInputs, type Call } from '../../shared/input';
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideRateLimited, decideRateLimitError } from '../decide';
import { alertRateLimited } from '../events';
import type { AlertHandlers } from './context';

const RATE_KEYS = [...keysOf(alertRateLimited), 'limited'];

export function attachRateLimit(h: AlertHandlers): void {
  h.ctx.hooks.on<HookOptions<unknown> | undefined>(ALERT_POINTS.rateLimit, {
    after(call: Call, result: unknown) {
      const fromResult = typeof result === 'boolean' ? { limited: result } : {};
      for (const raw of resolveInputs(call, result, 'after', RATE_KEYS)) {
        const input = { ...fromResult, ...raw };
        if (input.limited !== true) continue;
        requireKeys('ALERT_RATE_LIMITED', input, ['alert_id']);
        h.emit(decideRateLimited(input));
      }
    },
    error(call: Call, error: unknown) {
      const [input] = resolveInputs(call, undefined, 'before', RATE_KEYS);
      const mapped = resolveError(call, error);
      if (input === undefined || mapped === null || typeof input.alert_id !== 'string') return;
      h.emit(decideRateLimitError(input, mapped, error));
    },
  });
}
