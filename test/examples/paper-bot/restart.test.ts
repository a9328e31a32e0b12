/**
 * A restart on a paper-bot log. The paper bot itself cannot resume a run: it refuses a run
 * id already in the file and its ledger starts flat each run (main.test.ts covers that).
 * So the bot runs as a real child process until it holds a position, is stopped (SIGINT),
 * and a second "process" (a fresh catalyst in this one, its plugins holding nothing)
 * carries on the positions the bot left open, the way a restarted bot would: a redelivered
 * fill, marks around the throttle, an exit fill. The plugins rebuild each position from
 * the bot's log, so the exit closes it (no second POSITION_OPENED), in the trade's chain.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalyst, ManualClock, type StoredEvent } from '../../../src-core';
import orderPlugin from '../../../src-plugins/order';
import positionPlugin, { PositionHooks, type PositionFillInput, type PositionState } from '../../../src-plugins/position';
import { runSeedRebuild } from '../../support/seed-rebuild';
import { healthUrl, readLog, startBot, tempDir, waitFor } from './run-bot';

class RestartedPositions {
  @PositionHooks.fill()
  fill(_f: PositionFillInput) {}

  @PositionHooks.updatePrice()
  mark(_p: { position_id: string; new_price: number; price_source: string }) {}
}

describe('paper bot log, continued after a restart', () => {
  it('positions the stopped bot left open are closed by a fresh catalyst: one open, no anomaly, same chain', async () => {
    const file = join(tempDir(), 'restart.db');
    // Seed 3 holds a position from minute 33 to 101: stop the bot inside that window.
    const { child, done } = startBot(['--db', file, '--run-id', 'day1', '--seed', '3', '--pace', '20', '--health-port', '0', '--json']);
    const url = await healthUrl(child, 30_000);
    await waitFor(async () => {
      const body = (await (await fetch(`${url}/health`)).json()) as { minute: number; bot: { open_positions: number } };
      return body.minute >= 40 && body.bot.open_positions >= 1 ? body : undefined;
    }, 30_000);
    child.kill('SIGINT');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    const before = readLog(file);

    const errors: unknown[] = [];
    const catalyst = await createCatalyst(
      { db: file, emitter: { handleSignals: false } },
      {
        plugins: [orderPlugin, positionPlugin],
        clock: new ManualClock(before.at(-1)!.created_at + 60_000),
        reporter: { report: (error) => void errors.push(error) },
      },
    );
    const written: StoredEvent[] = [];
    catalyst.emitter.onAll((e) => void written.push(e));
    try {
      const open: PositionState[] = [];
      for (const summary of await catalyst.store.listAggregates({ aggregateType: 'position' })) {
        const { state } = await catalyst.rebuilder.rebuild<PositionState>('position', summary.aggregate_id);
        if (state.status === 'open') open.push(state);
      }
      expect(open.length).toBeGreaterThanOrEqual(1);

      const bot = catalyst.bind(new RestartedPositions());
      for (const p of open) {
        const last = before.filter((e) => e.aggregate_type === 'position' && e.aggregate_id === p.position_id).at(-1)!;
        const price = p.current_price!;
        const exitSide = p.side === 'long' ? 'sell' : 'buy';
        const mine = () => written.filter((e) => e.aggregate_id === p.position_id);
        bot.fill({
          position_id: p.position_id,
          trade_id: p.trade_ids[0]!,
          ticker: p.ticker!,
          side: p.side === 'long' ? 'buy' : 'sell',
          quantity: 1,
          price,
          commission: 0,
        });
        bot.mark({ position_id: p.position_id, new_price: price * 1.0005, price_source: 'restart' });
        expect(mine()).toEqual([]); // a redelivered fill and a move inside 0.1 %: nothing
        bot.mark({ position_id: p.position_id, new_price: price * 1.01, price_source: 'restart' });
        bot.fill({
          position_id: p.position_id,
          trade_id: `restart-${p.position_id}`,
          ticker: p.ticker!,
          side: exitSide,
          quantity: p.open_quantity,
          price: price * 1.01,
          commission: 1,
        });

        const [marked, closed] = mine();
        expect(mine().map((e) => e.event_type)).toEqual(['POSITION_PRICE_UPDATED', 'POSITION_CLOSED']);
        expect(marked!.payload.old_price).toBe(price);
        expect(marked!.sequence_number).toBe(last.sequence_number + 1);
        expect(marked!.metadata.causation_id).toBe(last.event_id);
        for (const e of mine()) expect(e.metadata.correlation_id).toBe(last.metadata.correlation_id);
        expect(closed!.payload).toMatchObject({ quantity: p.open_quantity, entry_price: p.entry_price });

        const rebuilt = await catalyst.rebuilder.rebuild<PositionState>('position', p.position_id);
        expect(rebuilt.anomalies).toEqual([]);
        expect(rebuilt.state).toMatchObject({ status: 'closed', open_quantity: 0, anomalies: [] });
        const opens = readLog(file).filter((e) => e.aggregate_id === p.position_id && e.event_type === 'POSITION_OPENED');
        expect(opens).toHaveLength(1);
        // The seed guide's own rebuild reads the continued position as closed.
        const seed = runSeedRebuild(file, { positions: [p.position_id] }, { datetimes: true }).positions[p.position_id];
        expect(seed).toMatchObject({ status: 'closed' });
      }
      expect(errors).toEqual([]);
    } finally {
      await catalyst.close();
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });
});
