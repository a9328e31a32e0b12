// One read-side operation over a log, in its own process so its peak RSS is its own:
// `verify` (the command's whole check), `stats`, or `scan` (one keyset scan of the stream,
// the baseline). Prints {ms, maxRssMb, events}.
import 'reflect-metadata';
import { peakRssKb } from '../lib/peak-rss';
import { verifyLog } from '../../src-core/cli/commands/verify';
import { openReader } from '../../src-core/cli/log-source';

const [file, mode] = process.argv.slice(2);
const source = await openReader({ db: file! }, { cwd: process.cwd(), env: {}, plugins: ['catalyst-events/plugins/order'] });
let events = 0;
const t0 = process.hrtime.bigint();
if (mode === 'verify') {
  const report = await verifyLog(source);
  if (!report.ok) throw new Error(`verify found problems: ${JSON.stringify(report).slice(0, 400)}`);
  events = report.events;
} else if (mode === 'stats') {
  events = (await source.reader.stats()).total;
} else {
  let after: number | undefined;
  for (;;) {
    const page = await source.reader.readPage({}, { ...(after !== undefined ? { after } : {}), limit: 1000 });
    events += page.records.length;
    if (page.next === null) break;
    after = page.next;
  }
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
await source.close();
process.stdout.write(JSON.stringify({ ms, events, maxRssMb: peakRssKb() / 1024 }) + '\n');
