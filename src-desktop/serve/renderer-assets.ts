import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Vite from 'vite';

/**
 * The package root: the nearest folder up from this module with catalyst-events' package.json
 * (src-desktop/serve/ in a clone, dist/bin/chunks/ in an install).
 */
export const PROJECT_ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'catalyst-events') return dir;
    if (dirname(dir) === dir) return fileURLToPath(new URL('../..', import.meta.url));
  }
}

/** Everything the renderer bundle is built from. */
const SOURCES = [
  'src-desktop/renderer',
  'src-desktop/shared',
  'src-desktop/preload/http-bridge.ts',
  'src-desktop/preload/build-api.ts',
  'src-desktop/build/renderer-config.ts',
];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .flatMap((entry) => filesUnder(join(path, entry.name)))
    .sort();
}

/** A hash of the renderer's sources: a cached build is reused only while they are unchanged. */
export function rendererSourceHash(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((s) => filesUnder(join(root, s)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const isComplete = (dir: string) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'http-bridge.js'));

/**
 * Where the served mode finds the built renderer:
 * 1. CATALYST_VIEWER_ASSETS, when set;
 * 2. an install (no renderer sources): `dist/viewer`, built when the package was packed;
 * 3. a clone: a build cached under node_modules/.cache for the current sources (built now with
 *    Vite when missing, into a temporary folder renamed into place, so concurrent servers agree);
 * 4. `out/renderer` from `npm run build:desktop` or `dist/viewer` from `npm run build`, where
 *    Vite is not installed.
 */
export async function resolveRendererAssets(root = PROJECT_ROOT, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.CATALYST_VIEWER_ASSETS) {
    if (!isComplete(env.CATALYST_VIEWER_ASSETS)) {
      throw new Error(`CATALYST_VIEWER_ASSETS=${env.CATALYST_VIEWER_ASSETS} has no index.html and http-bridge.js`);
    }
    return env.CATALYST_VIEWER_ASSETS;
  }
  const shipped = join(root, 'dist/viewer');
  if (!existsSync(join(root, 'src-desktop/renderer/index.html')) && isComplete(shipped)) return shipped;
  const cacheRoot = join(root, 'node_modules/.cache/catalyst-viewer');
  const target = join(cacheRoot, rendererSourceHash(root));
  if (isComplete(target)) return target;
  let vite: typeof Vite | null;
  try {
    vite = await import('vite');
  } catch {
    vite = null;
  }
  if (vite && existsSync(join(root, 'src-desktop/renderer/index.html'))) {
    const { rendererViteConfig } = await import('../build/renderer-config');
    mkdirSync(cacheRoot, { recursive: true });
    const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
    try {
      await vite.build({ ...rendererViteConfig(root, staging), configFile: false });
      try {
        renameSync(staging, target);
      } catch (error) {
        // Another server finished the same build first: theirs is as good as ours.
        if (!isComplete(target)) throw error;
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return target;
  }
  for (const built of [join(root, 'out/renderer'), shipped]) if (isComplete(built)) return built;
  throw new Error('The viewer is not built: run `npm run build` (or install dev dependencies so it can build itself).');
}
