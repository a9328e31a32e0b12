/** `position.modifyStop` -> POSITION_STOP_LOSS_MODIFIED (nothing when unchanged), after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { POSITION_POINTS } from '../decorators';
import { decideLevelChange } from '../decide';
import { stopLossModified } from '../events';
import type { PositionHandlers } from './context';

export function attachModifyStop(h: PositionHandlers): void {
  h.after(POSITION_POINTS.modifyStop, keysOf(stopLossModified), (input) =>
    h.emit(decideLevelChange('POSITION_STOP_LOSS_MODIFIED', 'stop_loss', input, h.live(input))),
  );
}
