/**
 * A stand-in for the running bot: appends `n` events each time a line arrives on stdin and
 * prints `wrote <head>` after each commit. Run with tsx: `live-writer.ts <file>`.
 */
import { createInterface } from 'node:readline';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepareEvent } from '../../../src-core/emitter/prepare';

const file = process.argv[2]!;
const store = SqliteEventStore.open({ file });
let tick = 0;
process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  const n = Number(line.trim()) || 1;
  const stored = store.appendBatch(
    Array.from({ length: n }, () => {
      tick += 1;
      return {
        event_type: 'POSITION_PRICE_UPDATED',
        aggregate_type: 'position',
        aggregate_id: 'position-live',
        payload: {
          position_id: 'position-live',
          old_price: 10,
          new_price: 10 + tick / 100,
          old_unrealized_pnl: 0,
          new_unrealized_pnl: tick,
          price_source: 'live',
        },
      };
    }).map((e) => prepareEvent(e)),
  );
  process.stdout.write(`wrote ${stored.at(-1)!.position}\n`);
}
store.close();
