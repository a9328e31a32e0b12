/** `portfolio.snapshot` -> PORTFOLIO_SNAPSHOT_CREATED, after the call. */
import type { PortfolioHookOptions } from '../decorators';
import { PORTFOLIO_POINTS } from '../decorators';
import { decideSnapshot, type Input } from '../decide';
import type { Call, PortfolioHandlers } from './context';

export function attachSnapshot(h: PortfolioHandlers): void {
  h.ctx.hooks.on<PortfolioHookOptions<Input> | undefined>(PORTFOLIO_POINTS.snapshot, {
    after(call: Call, result: unknown) {
      const input = h.inputOf(call, result);
      if (input === null) return;
      h.emit(decideSnapshot(input, h.accountOf(input)));
    },
  });
}
