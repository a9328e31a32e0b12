// Appends N events in buffered mode and reports peak RSS: the bounded queue must bound memory.
import 'reflect-metadata';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { fillEvent } from '../lib/fixtures';
import { peakRssKb } from '../lib/peak-rss';

const [file, countArg] = process.argv.slice(2);
const count = Number(countArg);
const catalyst = await createCatalyst({
  db: file!,
  plugins: ['catalyst-events/plugins/order'],
  emitter: { mode: 'buffered', batchSize: 1000, queueCapacity: 10_000, handleSignals: false },
});
for (let i = 0; i < count; i++) catalyst.emitter.emit(fillEvent(i));
await catalyst.close();
process.stdout.write(JSON.stringify({ count, maxRssKb: peakRssKb() }) + '\n');
