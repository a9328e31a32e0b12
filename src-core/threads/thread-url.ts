import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a worker thread's code is, for the module at `here` that starts it. From the sources
 * (vitest, tsx) the thread is `sourceEntry` beside `here`, a .mjs that loads the TypeScript
 * through tsx. In the built package the starting code is bundled into dist/ (index, a chunk
 * under dist/chunks, or the CLI under dist/bin/chunks) and the thread is dist/<name>.mjs.
 */
export function threadUrl(name: string, sourceEntry: string, here: string): URL {
  const candidates = /\.[cm]?ts$/.test(new URL(here).pathname) ? [sourceEntry] : [`./${name}.mjs`, `../${name}.mjs`, `../../${name}.mjs`];
  for (const candidate of candidates) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`the ${name} entry is missing (looked for ${candidates.join(', ')} beside ${here})`);
}
