import { z } from 'zod';
import { hook } from '../../../src-core/hooks/decorator';
import type { CatalystPlugin } from '../../../src-core/plugins/types';

/**
 * A small third-party-style plugin (no trading words): a `ledger` aggregate whose entries
 * are emitted from the `ledger.post` hook point, plus the bot class that carries it.
 */
export const ledgerPlugin: CatalystPlugin = {
  name: 'ledger',
  version: '1.0.0',
  coreApi: '^1.0.0',
  register(ctx) {
    ctx.schemas.register({
      eventType: 'LEDGER_POSTED',
      aggregateType: 'ledger',
      version: '1.0',
      payload: z.object({ account: z.string(), amount: z.number(), bot: z.string() }),
    });
    ctx.schemas.register({
      eventType: 'LEDGER_TRANSFER_REQUESTED',
      aggregateType: 'ledger',
      version: '1.0',
      payload: z.object({ from: z.string(), to: z.string(), amount: z.number() }),
    });
    ctx.reducers.register<{ balance: number; entries: number }>({
      aggregateType: 'ledger',
      version: 1,
      initialState: () => ({ balance: 0, entries: 0 }),
      reduce: (state, event) =>
        event.event_type === 'LEDGER_POSTED'
          ? { balance: state.balance + (event.payload.amount as number), entries: state.entries + 1 }
          : state,
    });
    ctx.hooks.on<{ label: string }>('ledger.post', {
      after: (call, result) => {
        const { account, amount, bot } = result as { account: string; amount: number; bot: string };
        ctx.emitter.emit({
          event_type: 'LEDGER_POSTED',
          aggregate_type: 'ledger',
          aggregate_id: account,
          payload: { account, amount, bot },
        });
      },
    });
    ctx.hooks.on('ledger.transfer', {
      before: (call) => {
        const [from, to, amount] = call.args as [string, string, number];
        ctx.emitter.emit({
          event_type: 'LEDGER_TRANSFER_REQUESTED',
          aggregate_type: 'ledger',
          aggregate_id: from,
          payload: { from, to, amount },
        });
      },
    });
  },
};

export class LedgerBot {
  constructor(readonly id: string) {}

  @hook('ledger.post', { label: 'post' })
  post(account: string, amount: number): { account: string; amount: number; bot: string } {
    return { account, amount, bot: this.id };
  }

  /** Re-entrant: a hooked method calling another hooked method. */
  @hook('ledger.transfer')
  transfer(from: string, to: string, amount: number): void {
    this.post(from, -amount);
    this.post(to, amount);
  }
}
