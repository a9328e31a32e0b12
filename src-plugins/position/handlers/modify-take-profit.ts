/** `position.modifyTakeProfit` -> POSITION_TAKE_PROFIT_MODIFIED (nothing when unchanged), after the call. */
import { keysOf } from '../../shared/plugin-runtime';
import { POSITION_POINTS } from '../decorators';
import { decideLevelChange } from '../decide';
import { takeProfitModified } from '../events';
import type { PositionHandlers } from './context';

export function attachModifyTakeProfit(h: PositionHandlers): void {
  h.after(POSITION_POINTS.modifyTakeProfit, keysOf(takeProfitModified), (input) =>
    h.emit(decideLevelChange('POSITION_TAKE_PROFIT_MODIFIED', 'take_profit', input, h.live(input))),
  );
}
