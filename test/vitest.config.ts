import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Lives under test/ because the package's top level is fixed by the design.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  // `catalyst-events` by name is the sources here (tsconfig.json's paths), not dist/.
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child-process and SQLite-file tests are I/O bound; two workers match these 2-core machines.
    pool: 'forks',
    maxWorkers: 2,
  },
});
