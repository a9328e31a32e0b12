/**
 * `position.updatePrice` -> POSITION_PRICE_UPDATED (throttled by `priceThreshold`), for one
 * position or every open position in a ticker; `(ticker, price)` needs no mapper.
 */
import type { HookOptions } from '../../shared/hook-options';
import { requireKeys, resolveInputs, type Call, type Input } from '../../shared/input';
import { str } from '../../shared/reduce-helpers';
import { POSITION_POINTS } from '../decorators';
import { decidePriceUpdate, decideUnknownPriceUpdate, priceOf } from '../decide';
import type { PositionState } from '../reducer';
import type { PositionHandlers } from './context';

const PRICE_KEYS = ['position_id', 'ticker', 'new_price', 'price', 'price_source', 'new_unrealized_pnl'];

export function attachUpdatePrice(h: PositionHandlers): void {
  const update = (input: Input): void => {
    const price = priceOf(input);
    const id = str(input.position_id);
    const ticker = str(input.ticker);
    let targets: PositionState[] = [];
    if (id !== null) {
      const live = h.positions.get(id);
      if (live === undefined) {
        h.emit(decideUnknownPriceUpdate(id, price, input));
        return;
      }
      targets = [live];
    } else if (ticker !== null) {
      targets = h.openIn(ticker);
      // `(id, price)` called with a position id where a ticker was expected
      const byId = targets.length === 0 ? h.positions.get(ticker) : undefined;
      if (byId !== undefined) targets = [byId];
    } else {
      requireKeys('POSITION_PRICE_UPDATED', input, ['position_id']);
    }
    for (const live of targets) h.emit(decidePriceUpdate(live, price, input, h.options.priceThreshold));
  };

  h.ctx.hooks.on<HookOptions<unknown> | undefined>(POSITION_POINTS.updatePrice, {
    after(call: Call, result: unknown) {
      if (result === false) return;
      const [first, second] = call.args;
      const inputs =
        call.options?.map === undefined && typeof first === 'string' && typeof second === 'number'
          ? [{ ticker: first, new_price: second }]
          : resolveInputs(call, result, 'after', PRICE_KEYS);
      for (const input of inputs) update(input);
    },
  });
}
