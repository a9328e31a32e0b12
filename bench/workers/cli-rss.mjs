// Runs the built CLI (dist/bin/catalyst-events.mjs) with the given arguments in this process
// and writes its peak RSS (MB) to stderr on exit: the memory of the command a package
// user runs, with nothing of the bench's loaded.
import { writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../dist/bin/catalyst-events.mjs', import.meta.url));
process.on('exit', () => writeSync(2, `\n${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`));
process.argv.splice(1, 1, bin);
await import(bin);
