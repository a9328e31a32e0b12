// Batches of 100 validated events against raw 100-row transactions into the seed's bare
// table, in a process of their own: `batch100-worker.ts DIR COUNT PAIRS`. Runs PAIRS trial
// pairs, interleaved (ours, raw, ours, raw…), COUNT events each, after one pair that warms up
// and is not counted, and prints {ours: number[], raw: number[]} in events/s.
//
// Why a process of its own: by this point the bench's process has run buffered trials,
// whose queued events live long enough for V8 to allocate every event object of those
// (shared) code sites in the old generation from then on ("pretenuring"). A sync batch's
// events die young; allocated old, each is collected by a full mark-sweep, and the same code
// ran 10-15% slower (measured with 50,000-event trials: 0.53 of the raw rate after 150,000
// buffered events, 0.59-0.61 in a fresh process, 0.59 after them with
// --no-allocation-site-pretenuring). A bot runs one
// write mode; a process that has only done this is what it meets.
import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { ours, rawInsert } from '../lib/append-runs';

const [parent, countArg, pairsArg] = process.argv.slice(2);
const dir = mkdtempSync(join(parent!, 'batch100-'));
const count = Number(countArg);
const results: { ours: number[]; raw: number[] } = { ours: [], raw: [] };
// One pair first, not counted: a fresh process compiles our (much longer) path during its
// first trial, and that pair read 0.50-0.54 where the next ones read 0.58-0.62.
await ours(join(dir, 'batch100-warm-ours.db'), count, { mode: 'sync', perCall: 100 });
rawInsert(join(dir, 'batch100-warm-raw.db'), count, 100, true);
for (let t = 0; t < Number(pairsArg); t++) {
  results.ours.push(await ours(join(dir, `batch100-ours-${t}.db`), count, { mode: 'sync', perCall: 100 }));
  results.raw.push(rawInsert(join(dir, `batch100-raw-${t}.db`), count, 100, true));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
