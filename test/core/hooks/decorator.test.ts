import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { hook } from '../../../src-core/hooks/decorator';
import { DefaultHookRegistry } from '../../../src-core/hooks/hook-registry';
import type { HookCall, HookHandler } from '../../../src-core/hooks/types';
import { RecordingReporter, TestCausalContext } from './fixtures';

const placed = { id: 'p-1' };
const boom = new Error('broker down');

class Bot {
  offset = 10;
  log: string[] = [];

  @hook('bot.add', { map: 'ADD' })
  add(a: number, b: number): number {
    return a + b + this.offset;
  }

  @hook('bot.place')
  async place(ticker: string): Promise<{ id: string }> {
    await new Promise((r) => setTimeout(r, 1));
    this.log.push(ticker);
    return placed;
  }

  @hook('bot.fail')
  fail(): never {
    throw boom;
  }

  @hook('bot.failAsync')
  async failAsync(): Promise<never> {
    await Promise.resolve();
    throw boom;
  }

  @hook('bot.outer')
  outer(): string {
    return `outer(${this.inner()})`;
  }

  @hook('bot.inner')
  inner(): string {
    return 'inner';
  }
}

class SubBot extends Bot {
  override offset = 100;
}

function setup() {
  const causal = new TestCausalContext();
  const reporter = new RecordingReporter();
  const hooks = new DefaultHookRegistry(causal, reporter);
  return { causal, reporter, hooks };
}

/** A handler that records every step it sees, with the correlation id active at that moment. */
function recorder(causal: TestCausalContext) {
  const seen: { step: string; call: HookCall<unknown>; value?: unknown; correlation?: string }[] = [];
  const handler: HookHandler<unknown> = {
    before: (call) => seen.push({ step: 'before', call, correlation: causal.current()?.correlationId }),
    after: (call, value) => seen.push({ step: 'after', call, value, correlation: causal.current()?.correlationId }),
    error: (call, value) => seen.push({ step: 'error', call, value, correlation: causal.current()?.correlationId }),
  };
  return { seen, handler };
}

describe('@hook without a bound registry', () => {
  it('behaves exactly as the undecorated method', async () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.add', handler);
    const bot = new Bot(); // never bound
    expect(bot.add(1, 2)).toBe(13);
    await expect(bot.place('AAPL')).resolves.toBe(placed);
    expect(() => bot.fail()).toThrow(boom);
    expect(seen).toEqual([]);
    expect(causal.runs).toBe(0);
  });

  it('calls the original directly when the bound registry has no handler for the point', () => {
    const { hooks, causal } = setup();
    hooks.on('bot.other', {});
    const bot = hooks.bind(new Bot());
    expect(bot.add(1, 2)).toBe(13);
    expect(causal.runs).toBe(0);
  });

  it('keeps the method name and arity, and bind adds no visible key', () => {
    const { hooks } = setup();
    const bot = new Bot();
    const before = JSON.stringify(bot);
    hooks.bind(bot);
    expect(Bot.prototype.add.name).toBe('add');
    expect(Bot.prototype.add.length).toBe(2);
    expect(JSON.stringify(bot)).toBe(before);
    expect(Object.keys(bot)).toEqual(['offset', 'log']);
  });
});

describe('@hook with handlers', () => {
  it('sync: before gets the arguments, after the return value; this and the value are preserved', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.add', handler);
    const bot = hooks.bind(new SubBot());
    const result = bot.add(2, 3);
    expect(result).toBe(105); // SubBot's offset: `this` is the instance
    expect(seen.map((s) => s.step)).toEqual(['before', 'after']);
    const call = seen[0]!.call;
    expect(call.point).toBe('bot.add');
    expect(call.method).toBe('add');
    expect(call.args).toEqual([2, 3]);
    expect(call.target).toBe(bot);
    expect(call.options).toEqual({ map: 'ADD' });
    expect(seen[1]!.value).toBe(105);
  });

  it('async: stays async, after fires only once the promise resolves, with the identical value', async () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.place', handler);
    const bot = hooks.bind(new Bot());
    const pending = bot.place('MSFT');
    expect(pending).toBeInstanceOf(Promise);
    expect(seen.map((s) => s.step)).toEqual(['before']);
    const value = await pending;
    expect(value).toBe(placed);
    expect(bot.log).toEqual(['MSFT']);
    expect(seen.map((s) => s.step)).toEqual(['before', 'after']);
    expect(seen[1]!.value).toBe(placed);
    // after runs inside the same causal scope as before
    expect(seen[1]!.correlation).toBeDefined();
    expect(seen[1]!.correlation).toBe(seen[0]!.correlation);
  });

  it('sync throw: the identical error is rethrown and the error step sees it; no after', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.fail', handler);
    const bot = hooks.bind(new Bot());
    let thrown: unknown;
    try {
      bot.fail();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(boom);
    expect(seen.map((s) => s.step)).toEqual(['before', 'error']);
    expect(seen[1]!.value).toBe(boom);
  });

  it('async rejection: the promise rejects with the identical error and the error step sees it', async () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.failAsync', handler);
    const bot = hooks.bind(new Bot());
    const outcome = await bot.failAsync().then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(outcome).toBe(boom);
    expect(seen.map((s) => s.step)).toEqual(['before', 'error']);
    expect(seen[1]!.value).toBe(boom);
  });

  it('re-entrant hooked calls share the outer call scope', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.outer', handler);
    hooks.on('bot.inner', handler);
    const bot = hooks.bind(new Bot());
    expect(bot.outer()).toBe('outer(inner)');
    expect(seen.map((s) => `${s.call.point}:${s.step}`)).toEqual([
      'bot.outer:before',
      'bot.inner:before',
      'bot.inner:after',
      'bot.outer:after',
    ]);
    const ids = new Set(seen.map((s) => s.correlation));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toEqual(expect.any(String));
    // a second top-level call gets a new scope
    bot.outer();
    expect(seen[4]!.correlation).not.toBe(seen[0]!.correlation);
  });

  it('handler failures are reported and never change the result or the thrown error', async () => {
    const { hooks, reporter } = setup();
    const bad: HookHandler = {
      before: () => {
        throw new Error('before broke');
      },
      after: () => {
        throw new Error('after broke');
      },
      error: () => {
        throw new Error('error broke');
      },
    };
    const asyncBad: HookHandler = {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a handler that returns a rejecting promise is the case under test
      before: () => Promise.reject(new Error('async before broke')),
    };
    for (const point of ['bot.add', 'bot.place', 'bot.fail', 'bot.failAsync']) {
      hooks.on(point, bad);
      hooks.on(point, asyncBad);
    }
    const bot = hooks.bind(new Bot());
    expect(bot.add(1, 1)).toBe(12);
    await expect(bot.place('X')).resolves.toBe(placed);
    expect(() => bot.fail()).toThrow(boom);
    await expect(bot.failAsync()).rejects.toBe(boom);
    await new Promise((r) => setTimeout(r, 5)); // let the async handler rejections land
    const messages = reporter.reports.map((r) => (r.error as Error).message).sort();
    expect(messages).toEqual(
      [
        'after broke',
        'after broke',
        'async before broke',
        'async before broke',
        'async before broke',
        'async before broke',
        'before broke',
        'before broke',
        'before broke',
        'before broke',
        'error broke',
        'error broke',
      ].sort(),
    );
    expect(reporter.reports[0]!.context.where).toMatch(/^hook bot\.add \(before\)$/);
    expect(reporter.reports[0]!.context.point).toBe('bot.add');
  });

  it('a failing reporter still never reaches the bot', () => {
    const causal = new TestCausalContext();
    const hooks = new DefaultHookRegistry(causal, {
      report: () => {
        throw new Error('reporter broke');
      },
    });
    hooks.on('bot.add', {
      before: () => {
        throw new Error('x');
      },
    });
    expect(hooks.bind(new Bot()).add(0, 0)).toBe(10);
  });

  it('detaching removes the handler and the fast path returns', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    const off = hooks.on('bot.add', handler);
    const offAgain = hooks.on('bot.add', handler);
    expect(hooks.points()).toEqual(['bot.add']);
    const bot = hooks.bind(new Bot());
    bot.add(1, 1);
    expect(seen).toHaveLength(4); // attached twice: each step twice
    off();
    off(); // idempotent: removes one registration only
    expect(hooks.has('bot.add')).toBe(true);
    offAgain();
    expect(hooks.has('bot.add')).toBe(false);
    expect(hooks.points()).toEqual([]);
    bot.add(1, 1);
    expect(seen).toHaveLength(4);
  });

  it('unbind returns an instance to undecorated behaviour', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('bot.add', handler);
    const bot = hooks.bind(new Bot());
    hooks.unbind(bot);
    bot.add(1, 1);
    expect(seen).toEqual([]);
  });

  it('two registries drive only their own instances', () => {
    const a = setup();
    const b = setup();
    const ra = recorder(a.causal);
    const rb = recorder(b.causal);
    a.hooks.on('bot.add', ra.handler);
    b.hooks.on('bot.add', rb.handler);
    const botA = a.hooks.bind(new Bot());
    const botB = b.hooks.bind(new Bot());
    botA.add(1, 0);
    botA.add(2, 0);
    botB.add(3, 0);
    expect(ra.seen.filter((s) => s.step === 'before').map((s) => s.call.args[0])).toEqual([1, 2]);
    expect(rb.seen.filter((s) => s.step === 'before').map((s) => s.call.args[0])).toEqual([3]);
    expect(ra.seen.every((s) => s.call.target === botA)).toBe(true);
  });

  it('handlers cannot change the arguments the method receives', () => {
    const { hooks } = setup();
    hooks.on('bot.add', {
      before: (call) => {
        try {
          (call.args as unknown[])[0] = 1000;
        } catch {
          // frozen: that is the point
        }
      },
    });
    expect(hooks.bind(new Bot()).add(1, 2)).toBe(13);
  });
});

describe('hook() misuse', () => {
  it('rejects an empty point and a non-method target', () => {
    expect(() => hook('')).toThrow(TypeError);
    const decorate = hook('x.y') as unknown as (t: object, k: string, d: PropertyDescriptor) => unknown;
    expect(() => decorate({}, 'field', { value: 42 })).toThrow(/can only decorate a method \(got field\)/);
  });

  it('also works as a standard (TC39) method decorator', () => {
    const { hooks, causal } = setup();
    const { seen, handler } = recorder(causal);
    hooks.on('std.double', handler);
    type Ctx = { kind: string; name: string; addInitializer?(f: (this: object) => void): void };
    const decorate = hook('std.double') as unknown as (fn: unknown, ctx: Ctx) => unknown;
    // What a TC39 compiler does: method initializers run at the start of each construction.
    const initializers: ((this: object) => void)[] = [];
    class Std {
      k = 3;
      constructor() {
        for (const init of initializers) init.call(this);
      }
      double(x: number): number {
        return x * 2 * this.k;
      }
    }
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the function itself, compared by identity, never called unbound
    const original = Std.prototype.double;
    expect(decorate(original, { kind: 'method', name: 'double', addInitializer: (f) => initializers.push(f) })).toBe(original);
    const unbound = new Std();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- identity check of the method, not a call
    expect(unbound.double).toBe(original); // undecorated until bound
    const obj = hooks.bind(new Std());
    expect(obj.double(2)).toBe(12);
    expect(seen.map((s) => s.step)).toEqual(['before', 'after']);
    expect(seen[0]!.call.method).toBe('double');
    expect(() => decorate(() => 1, { kind: 'field', name: 'f' })).toThrow(/got a field/);
  });
});

describe('binding leaves the class untouched', () => {
  it('runs the undecorated function itself when nothing handles the point, and hooks plugins loaded after bind', () => {
    const { hooks, causal } = setup();
    class Bot {
      @hook('late.point')
      work(x: number): number {
        return x + 1;
      }
    }
    const original = Object.getOwnPropertyDescriptor(Bot.prototype, 'work')!.value as unknown;
    const bot = hooks.bind(new Bot());
    // eslint-disable-next-line @typescript-eslint/unbound-method -- identity check of the method, not a call
    expect(bot.work).toBe(original); // no handler on the point: the very same function
    const { seen, handler } = recorder(causal);
    const detach = hooks.on('late.point', handler); // a plugin attached after the bot was bound
    // eslint-disable-next-line @typescript-eslint/unbound-method -- identity check of the method, not a call
    expect(bot.work).not.toBe(original);
    expect(bot.work(1)).toBe(2);
    expect(seen.map((s) => s.step)).toEqual(['before', 'after']);
    expect(Object.keys(bot)).toEqual([]); // the wrapper is not enumerable
    detach();
    expect(bot.work(2)).toBe(3);
    expect(seen).toHaveLength(2);
    (hooks as unknown as { unbind(o: object): void }).unbind(bot);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- identity check of the method, not a call
    expect(bot.work).toBe(original);
    // eslint-disable-next-line @typescript-eslint/unbound-method -- identity check of the method, not a call
    expect(new Bot().work).toBe(original);
  });
});
