/** `position.triggerStop` -> STOP_LOSS_TRIGGERED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { POSITION_POINTS } from '../decorators';
import { decideTrigger } from '../decide';
import { triggered } from '../events';
import type { PositionHandlers } from './context';

export function attachTriggerStop(h: PositionHandlers): void {
  h.after(POSITION_POINTS.triggerStop, keysOf(triggered), (input) =>
    h.emit(decideTrigger('STOP_LOSS_TRIGGERED', 'stop_loss', input, h.live(input))),
  );
}
