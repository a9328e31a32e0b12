/**
 * The package build (`npm run build`, run by `prepack`): dist/ holds what a user runs.
 *
 * - the library entries (ENTRIES): ESM (.mjs) and CommonJS (.cjs), each with its .d.mts/.d.cts;
 * - the CLI (`bin`): ESM with a node shebang, bundled with its dependencies (all but the native
 *   better-sqlite3 and the optional pg): Node resolves and loads a few files instead of
 *   hundreds (zod alone is ~100 modules), which halves its start-up. A plugin a config names
 *   by package (`catalyst-events/plugins/order`) is loaded from the library build beside it;
 * - worker threads (THREADS): dist/<name>.mjs, found by the code that starts them.
 *
 * tsyringe's parameter decorators are compiled here (tsconfig.build.json has
 * experimentalDecorators); nothing in dist needs a decorator transform or reflect-metadata
 * from the user. The viewer's renderer is built by `vite build` (src-desktop/build/build-viewer.ts)
 * after this, into dist/viewer.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'tsdown';

/** The public entries: the key is the path under dist/ and under the package's `exports`. */
export const ENTRIES = {
  index: 'src-core/index.ts',
  cli: 'src-core/cli/index.ts',
  'plugins/order': 'src-plugins/order/index.ts',
  'plugins/position': 'src-plugins/position/index.ts',
  'plugins/alert': 'src-plugins/alert/index.ts',
  'plugins/risk': 'src-plugins/risk/index.ts',
} as const;

/**
 * Worker threads, each started by URL from the code that needs it (so not imported by it):
 * dist/<name>.mjs, ESM only, with its dependencies bundled like the CLI's.
 */
const THREADS = {
  'writer-thread': 'src-core/emitter/writer-thread/worker.ts',
  'reader-thread': 'src-core/store/sqlite/read/read-ahead/reader-thread.ts',
  'wal-checkpointer': 'src-core/store/sqlite/wal/checkpointer-thread.ts',
} as const;

/** The CLI's composition root (it moved from core to the desktop layer). */
const CLI_MAIN = ['src-desktop/cli/main.ts', 'src-core/cli/main.ts'].find((file) => existsSync(file))!;

const CLI_BIN = '\0catalyst-cli-bin';

const root = import.meta.dirname;
const manifest = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** Never inside the CLI bundle: a native addon, an optional peer, and development tools that only a clone reaches. */
const CLI_EXTERNAL = ['better-sqlite3', 'pg', 'vite', 'electron-vite', 'tsx'];
/** The CLI's and the threads' dependency handling: everything bundled but CLI_EXTERNAL. */
const selfContained = {
  neverBundle: [...CLI_EXTERNAL, ...CLI_EXTERNAL.map((name) => new RegExp(`^${name}/`))],
  alwaysBundle: [...Object.keys(manifest.dependencies).filter((name) => !CLI_EXTERNAL.includes(name)), '@oxc-project/runtime'].map(
    (name) => new RegExp(`^${name.replace('/', '\\/')}(/|$)`),
  ),
};

// Only what a user's install has: dependencies and peers stay imports; development tools
// (vite, tsx, ...) are reached only from a clone and are never bundled either.
// The decorator helpers that oxc's transform imports are bundled (a few lines each).
const neverBundle = [/^(?!@oxc-project\/runtime)[^./\0]/];

const common = {
  tsconfig: 'tsconfig.build.json',
  platform: 'node',
  target: 'node20.19',
  outDir: 'dist',
  fixedExtension: true,
  hash: false,
  sourcemap: false,
  deps: { neverBundle },
} satisfies UserConfig;

/**
 * What the CLI reads at run time besides code: the viewer's renderer (so `serve` needs no Vite
 * on the user's machine) and the config file's JSON Schema (for `$schema` in an editor).
 */
async function buildAssets(): Promise<void> {
  const [{ build }, { rendererViteConfig }, { configSchema }, { z }] = await Promise.all([
    import('vite'),
    import('./src-desktop/build/renderer-config'),
    import('./src-core/config/config'),
    import('zod'),
  ]);
  await build({ ...rendererViteConfig(root, resolve(root, 'dist/viewer')), configFile: false });
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' });
  writeFileSync(
    resolve(root, 'dist/config.schema.json'),
    `${JSON.stringify({ ...schema, title: 'catalyst-events.config.json', description: 'Catalyst Events configuration (generated from the zod schema in src-core/config/config.ts)' }, null, 2)}\n`,
  );
}

/**
 * Drops imports a .d.ts no longer uses: declarations marked @internal are stripped after
 * TypeScript decided its imports, and an unused `import Database from "better-sqlite3"` would
 * still make a consumer with skipLibCheck off install @types/better-sqlite3.
 */
function pruneUnusedTypeImports(): void {
  const files = readdirSync(resolve(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.d\.[cm]ts$/.test(f));
  for (const file of files) {
    const path = resolve(root, 'dist', file);
    const text = readFileSync(path, 'utf8');
    const used = (name: string, line: string): boolean => new RegExp(`\\b${name}\\b`).test(text.replace(line, ''));
    const pruned = text.replace(/^import (\w+) from "([^"]+)";\n/gm, (line: string, name: string) => (used(name, line) ? line : ''));
    if (pruned !== text) writeFileSync(path, pruned);
  }
}

export default defineConfig([
  {
    ...common,
    // Absolute paths: rolldown-plugin-dts names each .d.ts after its entry only then.
    entry: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, resolve(root, file)])),
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    hooks: { 'build:done': pruneUnusedTypeImports },
    outputOptions: (options, format) => ({ ...options, chunkFileNames: `chunks/[name]-[hash].${format === 'cjs' ? 'cjs' : 'mjs'}` }),
    shims: true,
  },
  {
    ...common,
    entry: { 'bin/catalyst-events': CLI_BIN },
    format: ['esm'],
    dts: false,
    clean: true,
    banner: { js: '#!/usr/bin/env node' },
    outputOptions: (options) => ({ ...options, chunkFileNames: 'bin/chunks/[name]-[hash].mjs' }),
    deps: selfContained,
    hooks: { 'build:done': buildAssets },
    plugins: [
      {
        // The bin runs the CLI's main with the process's arguments.
        name: 'catalyst-cli-bin',
        resolveId: (source) => (source === CLI_BIN ? CLI_BIN : null),
        load: (id) =>
          id === CLI_BIN ? `import { main } from ${JSON.stringify(resolve(root, CLI_MAIN))};\nawait main(process.argv.slice(2));\n` : null,
      },
    ],
  },
  {
    ...common,
    entry: Object.fromEntries(Object.entries(THREADS).map(([name, file]) => [name, resolve(root, file)])),
    format: ['esm'],
    dts: false,
    clean: true,
    deps: selfContained,
    outputOptions: (options) => ({ ...options, chunkFileNames: 'threads/[name]-[hash].mjs' }),
  },
]);
