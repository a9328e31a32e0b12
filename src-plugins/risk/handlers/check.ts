/** `risk.check` -> RISK_CHECK_PASSED / RISK_CHECK_FAILED (a boolean result is `passed`; a throw fails the check). */
import type { HookOptions } from '../../shared/hook-options';
import { requireKeys, resolveError, resolveInputs, type Call } from '../../shared/input';
import { RISK_POINTS } from '../decorators';
import { checkErrorInput, decideCheck } from '../decide';
import type { RiskHandlers } from './context';

const CHECK_KEYS = ['book_id', 'passed', 'check', 'subject', 'value', 'limit', 'reason', 'reason_code'];

export function attachCheck(h: RiskHandlers): void {
  const { bookId } = h.options;
  h.ctx.hooks.on<HookOptions<unknown> | undefined>(RISK_POINTS.check, {
    after(call: Call, result: unknown) {
      const fromResult = typeof result === 'boolean' ? { passed: result } : {};
      for (const raw of resolveInputs(call, result, 'after', CHECK_KEYS)) {
        const input = { ...fromResult, ...raw };
        if (typeof input.passed !== 'boolean') requireKeys('RISK_CHECK_PASSED', { passed: null }, ['passed']);
        h.emit(decideCheck(input, call.args, call.method, bookId));
      }
    },
    error(call: Call, error: unknown) {
      const mapped = resolveError(call, error);
      if (mapped === null) return;
      const [input] = resolveInputs(call, undefined, 'before', CHECK_KEYS);
      h.emit(decideCheck(checkErrorInput(input, mapped, error), call.args, call.method, bookId));
    },
  });
}
