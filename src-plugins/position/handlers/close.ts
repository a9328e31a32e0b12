/** `position.close` -> POSITION_CLOSED (POSITION_REDUCED for part of the position), after the call. */
import { POSITION_POINTS } from '../decorators';
import { CLOSE_KEYS, decideCloseCall } from '../decide';
import type { PositionHandlers } from './context';

export function attachClose(h: PositionHandlers): void {
  h.after(POSITION_POINTS.close, CLOSE_KEYS, (input) => {
    const live = h.live(input);
    h.emit(decideCloseCall(input, live, h.rt.now()));
  });
}
