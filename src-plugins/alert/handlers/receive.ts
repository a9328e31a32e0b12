/**
 * `alert.receive` -> ALERT_RECEIVED, before the call when the argument carries `alert_id`
 * (so everything the pipeline emits inside the call follows it), else after.
 */
import type { HookOptions } from '../../shared/hook-options';
import { requireKeys, resolveInputs, type Call } from '../../shared/input';
import { keysOf } from '../../shared/plugin-runtime';
import { ALERT_POINTS } from '../decorators';
import { decideReceived } from '../decide';
import { alertReceived } from '../events';
import type { AlertHandlers } from './context';

const RECEIVE_KEYS = keysOf(alertReceived);

export function attachReceive(h: AlertHandlers): void {
  const receivedBefore = new WeakSet<object>();
  h.ctx.hooks.on<HookOptions<unknown> | undefined>(ALERT_POINTS.receive, {
    before(call: Call) {
      const [input] = resolveInputs(call, undefined, 'before', RECEIVE_KEYS);
      if (input === undefined || typeof input.alert_id !== 'string' || input.alert_id === '') return;
      receivedBefore.add(call);
      h.emit(decideReceived(input, h.rt.now()));
    },
    after(call: Call, result: unknown) {
      if (receivedBefore.has(call)) return;
      for (const input of resolveInputs(call, result, 'after', RECEIVE_KEYS)) {
        if (input.alert_id === undefined && (result === null || result === undefined)) continue;
        requireKeys('ALERT_RECEIVED', input, ['alert_id']);
        h.emit(decideReceived(input, h.rt.now()));
      }
    },
  });
}
