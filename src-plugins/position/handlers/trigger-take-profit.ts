/** `position.triggerTakeProfit` -> TAKE_PROFIT_TRIGGERED, after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { POSITION_POINTS } from '../decorators';
import { decideTrigger } from '../decide';
import { triggered } from '../events';
import type { PositionHandlers } from './context';

export function attachTriggerTakeProfit(h: PositionHandlers): void {
  h.after(POSITION_POINTS.triggerTakeProfit, keysOf(triggered), (input) =>
    h.emit(decideTrigger('TAKE_PROFIT_TRIGGERED', 'take_profit', input, h.live(input))),
  );
}
