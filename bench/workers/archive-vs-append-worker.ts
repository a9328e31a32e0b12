// Archiving against appending the same events, in a process of their own, as the CLI runs
// `archive`: `archive-vs-append-worker.ts DIR SOURCE ORDERS TRIALS`. Each trial archives what
// ended before the cutoff from a copy of SOURCE (written from `orderEvents(ORDERS)`), then
// appends those events (the same ones, with fresh ids) to a fresh file, interleaved; prints
// {archiveMs: number[], appendMs: number[], moved}.
import 'reflect-metadata';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock, prepareEvent, UuidV7Generator } from '../../src-core';
import { runArchive } from '../../src-core/archive/run-archive';
import { timeMs, timeMsAsync } from '../lib/figures';
import { T0 } from '../lib/fixtures';
import { archiveReader, orderEvents, write } from '../lib/retention-runs';

const [parent, source, ordersArg, trialsArg] = process.argv.slice(2);
const dir = mkdtempSync(join(parent!, 'archive-vs-append-'));
const orders = Number(ordersArg);
// Everything but the last tenth of the orders has ended before the cutoff.
const before = T0 + Math.floor(orders * 0.9) * 60_000;
const clock = new ManualClock(T0);
const ids = new UuidV7Generator();
const same = orderEvents(orders)
  .filter((e) => Number(e.aggregate_id.slice(4)) < Math.floor(orders * 0.9))
  .map((e) => prepareEvent(e, { ids }));
const archiveMs: number[] = [];
const appendMs: number[] = [];
let moved = 0;
for (let t = 0; t < Number(trialsArg); t++) {
  process.stderr.write(`bench: retention trial ${t + 1}/${trialsArg}\n`);
  const live = join(dir, `live-${t}.db`);
  const target = join(dir, `archive-${t}.db`);
  copyFileSync(source!, live);
  const deps = archiveReader(live, clock);
  archiveMs.push(
    await timeMsAsync(async () => {
      const outcome = await runArchive({
        liveFile: live,
        archiveFile: target,
        before,
        ...deps,
        compact: false,
        now: T0,
        batchId: `bench-${t}`,
      });
      moved = outcome.events;
    }),
  );
  deps.reader.close();
  // The same events appended to a fresh file: what writing them cost in the first place.
  if (same.length !== moved) throw new Error(`archive moved ${moved} events, expected ${same.length}`);
  const fresh = join(dir, `append-${t}.db`);
  appendMs.push(timeMs(() => write(fresh, same)));
  for (const f of [live, target, fresh]) for (const s of ['', '-wal', '-shm']) rmSync(`${f}${s}`, { force: true });
}
process.stdout.write(`${JSON.stringify({ archiveMs, appendMs, moved })}\n`);
