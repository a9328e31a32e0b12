import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isPluginError } from '../../../src-core/errors';
import { CORE_API_VERSION } from '../../../src-core/plugins/core-api';
import type { CatalystPlugin } from '../../../src-core/plugins/types';
import { caught, fakePlugin, makeLoader } from './fixtures';

describe('PluginLoader: ordering and context', () => {
  it('registers in dependency order, keeping list order otherwise', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    const loaded = await loader.load([
      fakePlugin('risk', { dependencies: ['position', 'order'], log }),
      fakePlugin('alert', { log }),
      fakePlugin('position', { dependencies: ['order'], log }),
      fakePlugin('order', { log }),
    ]);
    expect(log).toEqual(['alert', 'order', 'position', 'risk']);
    expect(loaded.map((p) => p.name)).toEqual(log);
    expect(loader.loaded().map((p) => `${p.name}@${p.version}:${p.source}`)).toEqual([
      'alert@1.0.0:(object)',
      'order@1.0.0:(object)',
      'position@1.0.0:(object)',
      'risk@1.0.0:(object)',
    ]);
    expect(loader.has('risk')).toBe(true);
  });

  it('awaits an async register before registering a dependant', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    const slow: CatalystPlugin = {
      name: 'slow',
      version: '1.0.0',
      coreApi: '^1.0.0',
      async register() {
        await new Promise((r) => setTimeout(r, 5));
        log.push('slow done');
      },
    };
    await loader.load([fakePlugin('after', { dependencies: ['slow'], log }), slow]);
    expect(log).toEqual(['slow done', 'after']);
  });

  it('gives each plugin its options and the container parts; schemas are owned by the plugin', async () => {
    const { loader, hooks, schemas, reducers, emitter, causal, reporter } = makeLoader({ portfolio: { threshold: 0.5 } });
    const plugin = fakePlugin('portfolio', { eventTypes: ['PORTFOLIO_REBALANCED'] });
    const other = fakePlugin('other');
    await loader.load([plugin, other]);
    const ctx = plugin.seen!;
    expect(ctx.options).toEqual({ threshold: 0.5 });
    expect(other.seen!.options).toEqual({});
    expect(ctx.hooks).toBe(hooks);
    expect(ctx.emitter).toBe(emitter);
    expect(ctx.causal).toBe(causal);
    expect(ctx.reporter).toBe(reporter);
    expect(ctx.clock.now()).toBe(0);
    expect(schemas.get('PORTFOLIO_REBALANCED')?.owner).toBe('portfolio');
    ctx.reducers.register({ aggregateType: 'portfolio', version: 1, initialState: () => ({}), reduce: (s) => s });
    expect(reducers.list().map((r) => `${r.definition.aggregateType}:${r.owner}`)).toEqual(['portfolio:portfolio']);
  });

  it('skips plugins already loaded, and a dependency loaded earlier satisfies a later list', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    await loader.load([fakePlugin('order', { log })]);
    const second = await loader.load([fakePlugin('order', { log }), fakePlugin('position', { dependencies: ['order'], log })]);
    expect(log).toEqual(['order', 'position']);
    expect(second.map((p) => p.name)).toEqual(['position']);
  });
});

describe('PluginLoader: failures name the plugins', () => {
  it('missing dependency', async () => {
    const { loader } = makeLoader();
    const error = await caught(() => loader.load([fakePlugin('position', { dependencies: ['order'] })]));
    expect(isPluginError(error)).toBe(true);
    expect(error.plugins).toEqual(['position', 'order']);
    expect(error.message).toBe(
      'plugin position, order: position depends on \'order\', which is neither loaded nor in the plugin list; add it to "plugins" in the config',
    );
    expect(loader.loaded()).toEqual([]);
  });

  it('dependency cycle, named in order', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    const error = await caught(() =>
      loader.load([
        fakePlugin('free', { log }),
        fakePlugin('a', { dependencies: ['c'], log }),
        fakePlugin('b', { dependencies: ['a'], log }),
        fakePlugin('c', { dependencies: ['b'], log }),
      ]),
    );
    expect(isPluginError(error)).toBe(true);
    expect(error.message).toBe('plugin a, c, b: dependency cycle: a -> c -> b -> a');
    expect(log).toEqual([]); // nothing registers when the order cannot be resolved
  });

  it('a plugin depending on itself is a cycle', async () => {
    const { loader } = makeLoader();
    const error = await caught(() => loader.load([fakePlugin('selfish', { dependencies: ['selfish'] })]));
    expect(error.message).toBe('plugin selfish: dependency cycle: selfish -> selfish');
  });

  it('incompatible core API range', async () => {
    const { loader } = makeLoader();
    const error = await caught(() => loader.load([fakePlugin('future', { coreApi: '^2.0.0' })]));
    expect(isPluginError(error)).toBe(true);
    expect(error.plugins).toEqual(['future']);
    expect(error.message).toContain('needs core API ^2.0.0');
    expect(error.message).toContain(`provides ${CORE_API_VERSION}`);
    expect(CORE_API_VERSION).toBe('1.2.0');
  });

  it('accepts any range that includes the core API version', async () => {
    const { loader } = makeLoader();
    await loader.load([
      fakePlugin('caret', { coreApi: '^1.0.0' }),
      fakePlugin('tilde', { coreApi: '~1.2' }),
      fakePlugin('span', { coreApi: '>=0.9 <2' }),
    ]);
    expect(loader.loaded()).toHaveLength(3);
  });

  it('two plugins claiming one event type: both named', async () => {
    const { loader } = makeLoader();
    const error = await caught(() =>
      loader.load([fakePlugin('order', { eventTypes: ['ORDER_FILLED'] }), fakePlugin('copycat', { eventTypes: ['ORDER_FILLED'] })]),
    );
    expect(isPluginError(error)).toBe(true);
    expect(error.plugins).toEqual(['order', 'copycat']);
    expect(error.message).toContain("event type 'ORDER_FILLED'");
    expect(loader.loaded().map((p) => p.name)).toEqual(['order']);
  });

  it('a conflict the plugin swallows still fails the load', async () => {
    const { loader } = makeLoader();
    const sneaky: CatalystPlugin = {
      name: 'sneaky',
      version: '1.0.0',
      coreApi: '^1.0.0',
      register(ctx) {
        try {
          ctx.schemas.register({ eventType: 'ORDER_FILLED', aggregateType: 'x', version: '1.0', payload: z.object({}) });
        } catch {
          // ignored on purpose
        }
      },
    };
    const error = await caught(() => loader.load([fakePlugin('order', { eventTypes: ['ORDER_FILLED'] }), sneaky]));
    expect(error.plugins).toEqual(['order', 'sneaky']);
    expect(loader.has('sneaky')).toBe(false);
  });

  it('two plugins claiming one reducer: both named', async () => {
    const { loader } = makeLoader();
    const reducer = (name: string): CatalystPlugin => ({
      name,
      version: '1.0.0',
      coreApi: '^1.0.0',
      register: (ctx) => ctx.reducers.register({ aggregateType: 'order', version: 1, initialState: () => 0, reduce: (s) => s }),
    });
    const error = await caught(() => loader.load([reducer('order'), reducer('other')]));
    expect(error.plugins).toEqual(['order', 'other']);
  });

  it('invalid plugin objects: every problem listed', async () => {
    const { loader } = makeLoader();
    const bad = { name: 'broken', version: 'one', coreApi: 'not a range!', dependencies: 'order' };
    const error = await caught(() => loader.load([bad as unknown as CatalystPlugin]));
    expect(isPluginError(error)).toBe(true);
    expect(error.plugins).toEqual(['broken']);
    expect(error.message).toContain('invalid plugin definition');
    expect(error.message).toContain('version: version must be a semver version');
    expect(error.message).toContain('coreApi: coreApi must be a semver range');
    expect(error.message).toContain('dependencies: dependencies must be an array');
    expect(error.message).toContain('register: needs define/attach (core API 1.2) or register (1.0/1.1)');
  });

  it('nameless and non-object entries are named by their position', async () => {
    const { loader } = makeLoader();
    const nameless = await caught(() => loader.load([{ version: '1.0.0' } as unknown as CatalystPlugin]));
    expect(nameless.plugins).toEqual(['plugin #1 in the list']);
    expect(nameless.message).toContain('name: name must be a string');
    const notObject = await caught(() => loader.load([fakePlugin('ok'), 42 as unknown as CatalystPlugin]));
    expect(notObject.message).toBe('plugin plugin #2 in the list: is not a plugin object (got number)');
    const notList = await caught(() => loader.load('order' as unknown as string[]));
    expect(isPluginError(notList)).toBe(true);
  });

  it('the same plugin listed twice, or another version of a loaded one', async () => {
    const { loader } = makeLoader();
    const twice = await caught(() => loader.load([fakePlugin('order'), fakePlugin('order')]));
    expect(twice.message).toBe('plugin order: listed twice (from (object) and (object)); list each plugin once');
    await loader.load([fakePlugin('order')]);
    const clash = await caught(() => loader.load([fakePlugin('order', { version: '2.0.0' })]));
    expect(clash.message).toContain('version 2.0.0 (from (object)) cannot replace the loaded version 1.0.0');
  });

  it('a register() that throws becomes a PluginError keeping the cause', async () => {
    const { loader } = makeLoader();
    const cause = new Error('no broker config');
    const failing: CatalystPlugin = {
      name: 'failing',
      version: '1.0.0',
      coreApi: '^1.0.0',
      register: () => Promise.reject(cause),
    };
    const error = await caught(() => loader.load([failing]));
    expect(error.message).toBe('plugin failing: register() failed: no broker config');
    expect(error.cause).toBe(cause);
    expect(loader.has('failing')).toBe(false);
  });

  it('concurrent loads do not interleave', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    const slow = (name: string): CatalystPlugin => ({
      name,
      version: '1.0.0',
      coreApi: '^1.0.0',
      async register() {
        log.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, 2));
        log.push(`${name}:end`);
      },
    });
    await Promise.all([loader.load([slow('a')]), loader.load([slow('b')])]);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
  });
});

describe('PluginLoader: define and attach (core API 1.2)', () => {
  const split = (name: string, log: string[]): CatalystPlugin => ({
    name,
    version: '1.0.0',
    coreApi: '^1.2.0',
    define(ctx) {
      log.push(`${name}.define`);
      expect(Object.keys(ctx).sort()).toEqual(['options', 'reducers', 'schemas']);
      ctx.schemas.register({ eventType: `${name.toUpperCase()}_DONE`, aggregateType: name, version: '1.0', payload: z.object({}) });
    },
    attach(ctx) {
      log.push(`${name}.attach`);
      ctx.hooks.on('x.after', {});
    },
  });

  it('a write session calls define then attach, in dependency order', async () => {
    const { loader, schemas } = makeLoader();
    const log: string[] = [];
    await loader.load([{ ...split('b', log), dependencies: ['a'] }, split('a', log)]);
    expect(log).toEqual(['a.define', 'a.attach', 'b.define', 'b.attach']);
    expect(schemas.get('A_DONE')?.owner).toBe('a');
  });

  it('a read session calls only define: no hook handler is attached', async () => {
    const { loader, schemas, hooks } = makeLoader();
    const log: string[] = [];
    const on = hooks.on.bind(hooks);
    let attached = 0;
    hooks.on = (...args: Parameters<typeof on>) => {
      attached += 1;
      return on(...args);
    };
    await loader.load([split('a', log)], { attach: false });
    expect(log).toEqual(['a.define']);
    expect(attached).toBe(0);
    expect(schemas.get('A_DONE')?.owner).toBe('a');
  });

  it('a legacy register plugin still loads in a read session', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    await loader.load([fakePlugin('legacy', { log })], { attach: false });
    expect(log).toEqual(['legacy']);
  });

  it('a plugin with both forms (written for 1.1 loaders too) is loaded through define/attach only', async () => {
    const { loader } = makeLoader();
    const log: string[] = [];
    const both = { ...split('both', log), register: () => void log.push('register') };
    await loader.load([both], { attach: false });
    expect(log).toEqual(['both.define']);
  });

  it('a failing define is named as such', async () => {
    const { loader } = makeLoader();
    const bad: CatalystPlugin = {
      name: 'bad',
      version: '1.0.0',
      coreApi: '^1.2.0',
      define() {
        throw new Error('boom');
      },
    };
    const error = await caught(() => loader.load([bad]));
    expect(error.message).toBe('plugin bad: define() failed: boom');
  });
});
