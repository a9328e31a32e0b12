import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPluginError } from '../../../src-core/errors';
import { tempDir } from '../../support/temp';
import { caught, makeLoader } from './fixtures';

/** The built-ins by module specifier (the core names none: the application passes them). */
const BUILTIN_PLUGINS = ['order', 'position', 'alert', 'risk'].map((name) => `catalyst-events/plugins/${name}`);

// A third-party plugin needs no import from the core: a plugin is a plain object.
const pluginSource = (name: string, exportStyle: 'default' | 'named') => `
const plugin = {
  name: '${name}',
  version: '0.3.1',
  coreApi: '^1.0.0',
  register(ctx: { options: Record<string, unknown>; hooks: { on(point: string, h: object): void } }) {
    ctx.hooks.on('${name}.rebalance', { before: () => undefined });
  },
};
${exportStyle === 'default' ? 'export default plugin;' : 'export { plugin };'}
`;

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('catalyst-plugins-');
});
afterEach(() => tmp.cleanup());

describe('loading plugins by module specifier', () => {
  it('an absolute path to a .ts file with a default export', async () => {
    const file = tmp.file('portfolio.ts');
    writeFileSync(file, pluginSource('portfolio', 'default'));
    const { loader, hooks } = makeLoader();
    const loaded = await loader.load([file]);
    expect(loaded).toEqual([{ name: 'portfolio', version: '0.3.1', source: file }]);
    expect(hooks.has('portfolio.rebalance')).toBe(true);
  });

  it('a relative path, resolved against baseDir, with a named `plugin` export', async () => {
    mkdirSync(tmp.file('plugins'));
    writeFileSync(tmp.file('plugins/hedge.ts'), pluginSource('hedge', 'named'));
    const { loader, hooks } = makeLoader();
    await loader.load(['./plugins/hedge.ts'], { baseDir: tmp.dir });
    expect(loader.loaded().map((p) => p.name)).toEqual(['hedge']);
    expect(hooks.points()).toEqual(['hedge.rebalance']);
  });

  it('a package installed beside the app (node_modules under baseDir)', async () => {
    const pkg = join(tmp.dir, 'node_modules', 'acme-portfolio');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'acme-portfolio', version: '0.3.1', type: 'module', exports: { '.': './index.mjs' } }),
    );
    writeFileSync(
      join(pkg, 'index.mjs'),
      `export default { name: 'acme-portfolio', version: '0.3.1', coreApi: '>=1.0.0 <2', register(ctx) { ctx.hooks.on('acme.x', {}); } };\n`,
    );
    const { loader, hooks } = makeLoader();
    await loader.load(['acme-portfolio'], { baseDir: tmp.dir });
    expect(loader.loaded()).toEqual([{ name: 'acme-portfolio', version: '0.3.1', source: 'acme-portfolio' }]);
    expect(hooks.has('acme.x')).toBe(true);
  });

  it('a module without a plugin export', async () => {
    writeFileSync(tmp.file('empty.ts'), 'export const nothing = 1;\n');
    const { loader } = makeLoader();
    const error = await caught(() => loader.load(['./empty.ts'], { baseDir: tmp.dir }));
    expect(isPluginError(error)).toBe(true);
    expect(error.plugins).toEqual(['./empty.ts']);
    expect(error.message).toContain("expected a default export or a named 'plugin' export (exports: nothing)");
  });

  it('a module whose default export is not a valid plugin names the module', async () => {
    writeFileSync(tmp.file('half.ts'), "export default { version: '1.0.0' };\n");
    const { loader } = makeLoader();
    const error = await caught(() => loader.load(['./half.ts'], { baseDir: tmp.dir }));
    expect(error.plugins).toEqual(['./half.ts']);
    expect(error.message).toContain('name: name must be a string');
  });

  it('a path or package that does not exist', async () => {
    const { loader } = makeLoader();
    const missingFile = await caught(() => loader.load(['./nope.ts'], { baseDir: tmp.dir }));
    expect(missingFile.plugins).toEqual(['./nope.ts']);
    expect(missingFile.message).toContain('cannot import the plugin module');
    const missingPackage = await caught(() => loader.load(['catalyst-no-such-plugin-pkg'], { baseDir: tmp.dir }));
    expect(missingPackage.message).toMatch(/^plugin catalyst-no-such-plugin-pkg: cannot import the plugin module/);
  });

  it('the built-in list loads by package self-reference (catalyst-events/plugins/<name>) under vitest', async () => {
    const { loader, schemas, reducers, hooks } = makeLoader();
    const loaded = await loader.load(BUILTIN_PLUGINS, { baseDir: tmp.dir });
    expect(loaded.map((p) => `${p.name}:${p.source}`)).toEqual(
      ['order', 'position', 'alert', 'risk'].map((name) => `${name}:catalyst-events/plugins/${name}`),
    );
    expect(schemas.has('ORDER_FILLED')).toBe(true);
    expect(schemas.get('POSITION_CLOSED')?.owner).toBe('position');
    expect(reducers.types()).toEqual(expect.arrayContaining(['order', 'position']));
    expect(hooks.points()).toContain('order.submit');
  });
});
