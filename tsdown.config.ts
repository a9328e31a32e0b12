/**
 * The package build (`npm run build`, run by `prepack`): dist/ holds what a user runs.
 *
 * - the library entries (ENTRIES): ESM (.mjs) and CommonJS (.cjs), each with its .d.mts/.d.cts;
 * - the CLI (`bin`): one ESM file with a node shebang. It imports the library entries by the
 *   package's own name (self-reference through `exports`), so the CLI and a bot that loads
 *   `catalyst-events` share one copy of core and the plugins.
 *
 * tsyringe's parameter decorators are compiled here (tsconfig.build.json has
 * experimentalDecorators); nothing in dist needs a decorator transform or reflect-metadata
 * from the user. The viewer's renderer is built by `vite build` (src-desktop/build/build-viewer.ts)
 * after this, into dist/viewer.
 */
import { existsSync, writeFileSync } from 'node:fs';
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

/** The CLI's composition root (it moved from core to the desktop layer). */
const CLI_MAIN = ['src-desktop/cli/main.ts', 'src-core/cli/main.ts'].find((file) => existsSync(file))!;

const CLI_BIN = '\0catalyst-cli-bin';

const PACKAGE_NAME = 'catalyst-events';
const root = import.meta.dirname;

/** Source file of each library entry -> the specifier the CLI imports it by. */
const selfReferences = new Map(
  Object.entries(ENTRIES).map(([name, file]) => [resolve(root, file), name === 'index' ? PACKAGE_NAME : `${PACKAGE_NAME}/${name}`]),
);

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

export default defineConfig([
  {
    ...common,
    // Absolute paths: rolldown-plugin-dts names each .d.ts after its entry only then.
    entry: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, resolve(root, file)])),
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
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
    hooks: { 'build:done': buildAssets },
    plugins: [
      {
        // The bin runs the CLI's main with the process's arguments.
        name: 'catalyst-cli-bin',
        resolveId: (source) => (source === CLI_BIN ? CLI_BIN : null),
        load: (id) =>
          id === CLI_BIN ? `import { main } from ${JSON.stringify(resolve(root, CLI_MAIN))};\nawait main(process.argv.slice(2));\n` : null,
      },
      {
        name: 'catalyst-self-reference',
        resolveId: {
          order: 'pre',
          async handler(source, importer, options) {
            if (!importer) return null;
            const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
            const specifier = resolved && selfReferences.get(resolved.id);
            return specifier ? { id: specifier, external: true } : null;
          },
        },
      },
    ],
  },
]);
