/**
 * The dependency rules (issue 14, ARCHITECTURE.md), read from the source itself:
 * - nothing under src-core imports src-plugins or src-desktop (statically, dynamically or by URL);
 * - outside src-core (src-plugins, src-desktop, examples) core is imported only through its public
 *   entries, the ones package.json exports (`catalyst-events`, `catalyst-events/cli`);
 * - inside core, a folder imports only folders of a lower layer (wiring only in the container).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Core's public entries: source file -> the package export that ships it. */
const PUBLIC_ENTRIES: Record<string, string> = {
  'src-core/index.ts': '.',
  'src-core/cli/index.ts': './cli',
};

/**
 * Core's folders, lowest first. A folder may import folders of a lower layer only (never its
 * own layer's siblings, never a higher one). A new folder must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['events', 'errors', 'clock', 'threads'],
  ['config', 'schema'],
  ['store', 'causality'],
  ['rebuild', 'segments', 'hooks', 'emitter', 'subscriptions', 'forward', 'export'],
  ['plugins', 'archive'],
  ['container'],
  ['cli'],
];

export interface ImportEdge {
  /** Repo-relative, '/'-separated. */
  from: string;
  specifier: string;
  /** Repo-relative target for a relative or self-referencing specifier; null for a package. */
  to: string | null;
}

const IMPORT_PATTERNS = [
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g,
];

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** Where a specifier points inside the repository (null: an outside package). */
export function resolveSpecifier(fromFile: string, specifier: string): string | null {
  if (specifier === 'catalyst-events') return 'src-core/index.ts';
  if (specifier === 'catalyst-events/cli') return 'src-core/cli/index.ts';
  const plugin = /^catalyst-events\/plugins\/([^/]+)$/.exec(specifier);
  if (plugin) return `src-plugins/${plugin[1]}/index.ts`;
  if (specifier.startsWith('catalyst-events/')) return `(package)/${specifier}`;
  if (!specifier.startsWith('.')) return null;
  return toPosix(relative(ROOT, resolve(ROOT, dirname(fromFile), specifier)));
}

export function importsOf(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) edges.push({ from: file, specifier: match[1]!, to: resolveSpecifier(file, match[1]!) });
  }
  return edges;
}

/** `src-core/cli` and `src-core/cli/index` name the entry file. */
function entryOf(target: string): string {
  const bare = target.replace(/\.(ts|tsx|mts|js|mjs)$/, '');
  return bare.endsWith('/index') ? `${bare}.ts` : `${bare}/index.ts`;
}

function coreFolder(path: string): string | null {
  const parts = path.split('/');
  return parts[0] === 'src-core' && parts.length > 2 ? parts[1]! : null;
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((layer) => layer.includes(folder));
}

/** Every broken rule, one line each. */
export function violations(edges: readonly ImportEdge[]): string[] {
  const found: string[] = [];
  for (const { from, specifier, to } of edges) {
    if (to === null) continue;
    const where = `${from} imports '${specifier}'`;
    if (from.startsWith('src-core/')) {
      if (to.startsWith('src-plugins/') || to.startsWith('src-desktop/')) found.push(`${where}: core never imports plugins or the desktop`);
      const a = coreFolder(from);
      const b = coreFolder(to);
      if (a === null || b === null || a === b || !to.startsWith('src-core/')) continue;
      const la = layerOf(a);
      const lb = layerOf(b);
      if (la < 0) found.push(`${from}: core folder '${a}' has no layer: place it in LAYERS`);
      else if (lb < 0) found.push(`${to}: core folder '${b}' has no layer: place it in LAYERS`);
      else if (lb >= la) found.push(`${where}: '${a}' (layer ${la}) may import only lower layers, '${b}' is layer ${lb}`);
    } else if (to.startsWith('src-core/') || to.startsWith('(package)/')) {
      if (!(entryOf(to) in PUBLIC_ENTRIES) && !(to in PUBLIC_ENTRIES))
        found.push(`${where}: outside core, import only a public entry (${Object.keys(PUBLIC_ENTRIES).join(', ')})`);
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') out.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const SCANNED = ['src-core', 'src-plugins', 'src-desktop', 'examples'];

describe('dependencies point one way', () => {
  const edges = SCANNED.flatMap((dir) => sourceFiles(dir)).flatMap((file) => importsOf(file, readFileSync(join(ROOT, file), 'utf8')));

  it('reads a real import graph', () => {
    expect(edges.filter((e) => e.from.startsWith('src-core/')).length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from.startsWith('src-desktop/') && e.to !== null && entryOf(e.to) === 'src-core/index.ts')).toBe(true);
  });

  it('no file breaks a rule', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('core names no plugin and no desktop module, even as a string (a plugin list, a path)', () => {
    const named = sourceFiles('src-core').filter((file) => {
      const code = readFileSync(join(ROOT, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:])\/\/.*$/gm, '$1');
      return /['"`][^'"`]*(catalyst-events\/plugins\/|src-plugins\/|src-desktop\/)/.test(code);
    });
    expect(named).toEqual([]);
  });

  it('the public entries are the ones package.json exports', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    for (const exported of Object.values(PUBLIC_ENTRIES)) expect(Object.keys(pkg.exports)).toContain(exported);
  });
});

describe('the checker itself', () => {
  const check = (file: string, source: string) => violations(importsOf(file, source));

  it('catches core importing the desktop or a plugin, statically, dynamically or by URL', () => {
    expect(check('src-core/cli/serve.ts', "import { x } from '../../src-desktop/serve/start';")).toHaveLength(1);
    expect(check('src-core/cli/serve.ts', "const m = await import('../../src-plugins/order');")).toHaveLength(1);
    expect(check('src-core/cli/serve.ts', "const u = new URL('../../src-desktop/serve/a.ts', import.meta.url);")).toHaveLength(1);
    expect(check('src-core/config/config.ts', "await import('catalyst-events/plugins/order');")).toHaveLength(1);
  });

  it('catches a deep import from outside core, and allows the entries', () => {
    expect(check('src-desktop/main/a.ts', "import type { X } from '../../src-core/store/types';")).toHaveLength(1);
    expect(check('src-plugins/order/a.ts', "export { y } from '../../src-core/rebuild/diff';")).toHaveLength(1);
    expect(check('examples/bot/a.ts', "import { z } from 'catalyst-events/src/store';")).toHaveLength(1);
    expect(check('src-desktop/main/a.ts', "import { X } from '../../src-core';")).toEqual([]);
    expect(check('src-desktop/cli/main.ts', "import { X } from '../../src-core/cli';")).toEqual([]);
    expect(check('src-plugins/order/a.ts', "import type { X } from '../../src-core/index';")).toEqual([]);
    expect(check('examples/bot/a.ts', "import { X } from 'catalyst-events';")).toEqual([]);
  });

  it('catches a lower core folder importing a higher one, and a sibling of its layer', () => {
    expect(check('src-core/schema/a.ts', "import type { P } from '../plugins/types';")).toHaveLength(1);
    expect(check('src-core/emitter/a.ts', "import { TOKENS } from '../container/tokens';")).toHaveLength(1);
    expect(check('src-core/emitter/a.ts', "import { h } from '../hooks/types';")).toHaveLength(1);
    expect(check('src-core/cli/a.ts', "import { c } from '../container/create-catalyst';")).toEqual([]);
    expect(check('src-core/newthing/a.ts', "import { c } from '../events/types';")).toHaveLength(1);
  });
});
