import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory, in KiB. On Linux it is VmHWM, the high-water mark of
 * the process's own address space: `process.resourceUsage().maxRSS` also folds in the
 * spawning process's mark, which a child exec'd from a vfork'd parent inherits (a trivial
 * `node -e` spawned by a 343 MB bench run reported 137.7 MB there, with a VmHWM of 39.5 MB).
 * Elsewhere, maxRSS.
 */
export function peakRssKb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
