// A bot's writer beside an archive run, in its own process: `archive-writer-worker.ts FILE
// STOPFILE`. Appends one event about every 2 ms (the store's own busy handling: a 60 s
// timeout so a long lock is waited out and measured, not failed) until STOPFILE exists, then
// prints {appends, maxMs, p99Ms, over100ms, over1s}: how long single appends waited.
import { existsSync } from 'node:fs';
import { prepareEvent, UuidV7Generator } from '../../src-core';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';

const [file, stopFile] = process.argv.slice(2);
const store = SqliteEventStore.open({ file: file!, busyTimeoutMs: 60_000 });
const ids = new UuidV7Generator();
const waits: number[] = [];
process.stdout.write('READY\n');
while (!existsSync(stopFile!)) {
  const event = prepareEvent(
    { event_type: 'WRITER_TICK', aggregate_type: 'writer', aggregate_id: 'book', payload: { n: waits.length } },
    { ids },
  );
  const t0 = process.hrtime.bigint();
  store.append(event);
  waits.push(Number(process.hrtime.bigint() - t0) / 1e6);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}
store.close();
const sorted = [...waits].sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    appends: waits.length,
    maxMs: sorted.at(-1) ?? 0,
    p99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    over100ms: waits.filter((w) => w > 100).length,
    over1s: waits.filter((w) => w > 1000).length,
  })}\n`,
);
