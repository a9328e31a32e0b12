import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the suites leave their figures for the closing note (the folder is not committed). */
export const RESULTS_DIR = fileURLToPath(new URL('../.results/', import.meta.url));

/**
 * Prints a suite's counts and writes them to test/reliability/.results/<name>.json, so the
 * figures quoted in the README come from a run, not from memory.
 */
export function recordResults(name: string, figures: Record<string, unknown>): void {
  const body = { suite: name, heavy: process.env.CATALYST_HEAVY_TESTS === '1', at: new Date().toISOString(), ...figures };
  console.log(`[reliability] ${name}: ${JSON.stringify(figures)}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${name}.json`, JSON.stringify(body, null, 2) + '\n');
}
