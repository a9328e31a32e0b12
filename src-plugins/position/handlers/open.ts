/** `position.open` -> POSITION_OPENED, after the call. */
import { POSITION_POINTS } from '../decorators';
import { decideOpen, OPEN_KEYS } from '../decide';
import type { PositionHandlers } from './context';

export function attachOpen(h: PositionHandlers): void {
  h.after(POSITION_POINTS.open, OPEN_KEYS, (input) => h.emit(decideOpen(input)));
}
