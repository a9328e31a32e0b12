/** `position.fill` -> POSITION_OPENED / _INCREASED / _REDUCED / _CLOSED (a flip: CLOSED then OPENED), after the call. */
import { POSITION_POINTS } from '../decorators';
import { decideFill } from '../decide';
import type { PositionHandlers } from './context';

const FILL_KEYS = [
  'position_id',
  'trade_id',
  'ticker',
  'side',
  'quantity',
  'price',
  'commission',
  'order_id',
  'signal_id',
  'stop_loss_price',
  'take_profit_price',
  'exit_reason',
  'new_position_id',
];

export function attachFill(h: PositionHandlers): void {
  h.after(POSITION_POINTS.fill, FILL_KEYS, (input) => {
    const live = h.live(input);
    for (const decision of decideFill(input, live, h.rt.now())) h.emit(decision);
  });
}
