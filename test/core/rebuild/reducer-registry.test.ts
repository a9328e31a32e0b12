import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '../../../src-core/container/tokens';
import { isPluginError, isUnknownTypeError } from '../../../src-core/errors';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import { ledgerReducer } from './ledger-fixture';

describe('ReducerRegistry', () => {
  it('registers, gets and lists reducers by aggregate type', () => {
    const registry = new ReducerRegistry();
    const ledger = ledgerReducer();
    const other = { ...ledgerReducer(), aggregateType: 'account' };
    registry.register(ledger, 'ledger-plugin');
    registry.register(other, 'accounts');
    expect(registry.get('ledger')).toBe(ledger);
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.has('account')).toBe(true);
    expect(registry.list().map((r) => [r.definition.aggregateType, r.owner])).toEqual([
      ['account', 'accounts'],
      ['ledger', 'ledger-plugin'],
    ]);
  });

  it('a second reducer for one aggregate type is a PluginError naming both owners', () => {
    const registry = new ReducerRegistry();
    registry.register(ledgerReducer(), 'order');
    let error: unknown;
    try {
      registry.register(ledgerReducer(), 'portfolio');
    } catch (e) {
      error = e;
    }
    expect(isPluginError(error)).toBe(true);
    expect((error as { plugins: string[] }).plugins).toEqual(['order', 'portfolio']);
    expect((error as Error).message).toMatch(/'ledger'.*first: order, second: portfolio/);
    expect(registry.list()).toHaveLength(1);
  });

  const invalid: [string, object, RegExp][] = [
    ['no aggregate type', { ...ledgerReducer(), aggregateType: '' }, /non-empty aggregateType/],
    ['fractional version', { ...ledgerReducer(), version: 1.5 }, /integer version/],
    ['no reduce', { ...ledgerReducer(), reduce: undefined }, /reduce\(\) and initialState\(\)/],
  ];
  it.each(invalid)('rejects a definition with %s', (_name, definition, message) => {
    const registry = new ReducerRegistry();
    expect(() => registry.register(definition as never, 'p')).toThrow(message);
  });

  it('require() on an unregistered type is an UnknownTypeError', () => {
    const registry = new ReducerRegistry();
    registry.register(ledgerReducer());
    expect(() => registry.require('order')).toThrow(expect.objectContaining({ code: 'UNKNOWN_TYPE', known: ['ledger'] }));
    try {
      registry.require('order');
    } catch (e) {
      expect(isUnknownTypeError(e)).toBe(true);
    }
  });

  it('is injectable: each container gets its own registry', () => {
    const a = rootContainer.createChildContainer();
    const b = rootContainer.createChildContainer();
    for (const c of [a, b]) c.registerSingleton(TOKENS.ReducerRegistry, ReducerRegistry);
    a.resolve<ReducerRegistry>(TOKENS.ReducerRegistry).register(ledgerReducer(), 'x');
    expect(a.resolve<ReducerRegistry>(TOKENS.ReducerRegistry).has('ledger')).toBe(true);
    expect(b.resolve<ReducerRegistry>(TOKENS.ReducerRegistry).has('ledger')).toBe(false);
  });
});
