// Runs the built CLI (dist/bin/catalyst-events.mjs) with the given arguments in this process
// and writes its peak RSS (MB) to stderr on exit: the memory of the command a package
// user runs, with nothing of the bench's loaded.
import { readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../dist/bin/catalyst-events.mjs', import.meta.url));
// VmHWM, the process's own peak (see bench/lib/peak-rss.ts: maxRSS inherits the spawner's).
function peakRssKb() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
process.on('exit', () => writeSync(2, `\n${JSON.stringify({ maxRssMb: peakRssKb() / 1024 })}\n`));
process.argv.splice(1, 1, bin);
await import(bin);
