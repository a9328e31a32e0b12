import { types } from 'node:util';
import type { ErrorReporter } from '../errors/reporter';
import type { CausalContext } from '../causality/types';
import type { HookCall, HookHandler, HookRegistry } from './types';
import { BOUND_HOOKS, hookSpecsOf, type HookSpec } from './binding';

type Step = 'before' | 'after' | 'error';
/** One registration (its own identity, so one handler attached twice detaches once at a time). */
interface Attached {
  readonly handler: HookHandler;
}

/**
 * One container's hook points. Handler lists are copy-on-write arrays, so a handler that
 * detaches (or attaches) during a call does not disturb the call in flight.
 */
export class DefaultHookRegistry implements HookRegistry {
  private readonly handlers = new Map<string, readonly Attached[]>();
  /** Registrations in total: a plain field, cheaper to test than a Map lookup. */
  private attached = 0;
  /** Bound instances (weakly: binding must not keep a bot alive), for handlers attached later. */
  private readonly bound = new Set<WeakRef<object>>();
  /** Per instance, the methods already wrapped. */
  private readonly wrapped = new WeakMap<object, Set<string | symbol>>();

  constructor(
    private readonly causal: CausalContext,
    private readonly reporter: ErrorReporter,
  ) {}

  on<O = unknown>(point: string, handler: HookHandler<O>): () => void {
    if (typeof point !== 'string' || point.length === 0) {
      throw new TypeError('hooks.on(point, handler): point must be a non-empty string');
    }
    if (typeof handler !== 'object' || handler === null) {
      throw new TypeError(`hooks.on('${point}', handler): handler must be an object with before/after/error`);
    }
    // A fresh wrapper object per registration: attaching one handler twice and detaching
    // once removes exactly one registration.
    const entry: Attached = { handler: handler };
    const first = !this.handlers.has(point);
    this.handlers.set(point, [...(this.handlers.get(point) ?? []), entry]);
    this.attached += 1;
    if (first) this.installOnBound(point);
    let live = true;
    return () => {
      if (!live) return;
      live = false;
      this.attached -= 1;
      const rest = (this.handlers.get(point) ?? []).filter((h) => h !== entry);
      if (rest.length === 0) this.handlers.delete(point);
      else this.handlers.set(point, rest);
    };
  }

  has(point: string): boolean {
    // The size check first: with no plugin loaded this is the whole cost of a hooked call.
    return this.attached !== 0 && this.handlers.has(point);
  }

  points(): string[] {
    return [...this.handlers.keys()];
  }

  bind<T extends object>(instance: T): T {
    if (typeof instance !== 'object' && typeof instance !== 'function') {
      throw new TypeError('hooks.bind(instance): instance must be an object');
    }
    // Non-enumerable: JSON.stringify, spreads and for-in over the bot's objects stay unchanged.
    const current = (instance as Record<symbol, unknown>)[BOUND_HOOKS];
    if (current === this) return instance;
    if (current !== undefined) (current as DefaultHookRegistry).unbind(instance);
    Object.defineProperty(instance, BOUND_HOOKS, {
      value: this,
      enumerable: false,
      configurable: true,
      writable: false,
    });
    this.bound.add(new WeakRef(instance));
    for (const { spec, original } of hookSpecsOf(instance)) {
      if (this.handlers.has(spec.point)) this.install(instance, spec, original);
    }
    return instance;
  }

  /** Detaches an instance: its decorated methods are the undecorated ones again. */
  unbind(instance: object): void {
    if (Object.prototype.hasOwnProperty.call(instance, BOUND_HOOKS)) {
      delete (instance as Record<symbol, unknown>)[BOUND_HOOKS];
    }
    for (const method of this.wrapped.get(instance) ?? []) delete (instance as Record<string | symbol, unknown>)[method];
    this.wrapped.delete(instance);
    for (const ref of this.bound) if (ref.deref() === instance) this.bound.delete(ref);
  }

  /** A point got its first handler: hook it on instances bound before the plugin loaded. */
  private installOnBound(point: string): void {
    for (const ref of this.bound) {
      const instance = ref.deref();
      if (instance === undefined) {
        this.bound.delete(ref);
        continue;
      }
      for (const { spec, original } of hookSpecsOf(instance)) {
        if (spec.point === point) this.install(instance, spec, original);
      }
    }
  }

  /** An own, non-enumerable wrapper on the instance; the class's method stays untouched. */
  private install(instance: object, spec: HookSpec, original: (...args: unknown[]) => unknown): void {
    let done = this.wrapped.get(instance);
    if (done === undefined) this.wrapped.set(instance, (done = new Set()));
    if (done.has(spec.method)) return;
    done.add(spec.method);
    const { point, options } = spec;
    const method = typeof spec.method === 'symbol' ? (spec.method.description ?? String(spec.method)) : spec.method;
    const dispatch = (target: object, args: unknown[]): unknown => this.dispatch(point, options, target, method, original, args);
    const hooked = function (this: object, ...args: unknown[]): unknown {
      return dispatch(this, args);
    };
    Object.defineProperty(hooked, 'name', { value: original.name, configurable: true });
    Object.defineProperty(hooked, 'length', { value: original.length, configurable: true });
    Object.defineProperty(instance, spec.method, { value: hooked, writable: true, configurable: true, enumerable: false });
  }

  dispatch(
    point: string,
    options: unknown,
    target: object,
    method: string,
    original: (...args: unknown[]) => unknown,
    args: unknown[],
  ): unknown {
    const handlers = this.handlers.get(point);
    if (handlers === undefined) return original.apply(target, args);
    const call: HookCall = Object.freeze({ point, options, target, method, args: Object.freeze(args.slice()) });
    // Re-entrant calls reuse the running scope (CausalContext.run's contract), so one
    // call chain shares one correlation id.
    return this.causal.run(() => this.invoke(handlers, call, original, args));
  }

  private invoke(handlers: readonly Attached[], call: HookCall, original: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    this.notify(handlers, 'before', call, undefined);
    let result: unknown;
    try {
      result = original.apply(call.target, args);
    } catch (error) {
      this.notify(handlers, 'error', call, error);
      throw error;
    }
    // Only native promises: calling `then` on an arbitrary thenable could start work the
    // bot did not ask for (query builders run on `then`).
    if (types.isPromise(result)) {
      return result.then(
        (value) => {
          this.notify(handlers, 'after', call, value);
          return value;
        },
        (error: unknown) => {
          this.notify(handlers, 'error', call, error);
          throw error;
        },
      );
    }
    this.notify(handlers, 'after', call, result);
    return result;
  }

  private notify(handlers: readonly Attached[], step: Step, call: HookCall, value: unknown): void {
    for (const { handler } of handlers) {
      if (handler[step] === undefined) continue;
      try {
        const out: unknown =
          step === 'before' ? handler.before?.(call) : step === 'after' ? handler.after?.(call, value) : handler.error?.(call, value);
        // A handler typed void may still be async; its rejection must not go unhandled.
        if (types.isPromise(out)) out.catch((error: unknown) => this.report(error, step, call));
      } catch (error) {
        this.report(error, step, call);
      }
    }
  }

  private report(error: unknown, step: Step, call: HookCall): void {
    try {
      this.reporter.report(error, { where: `hook ${call.point} (${step})`, point: call.point, step, method: call.method });
    } catch {
      // The reporter failing is the last place an error could reach the bot; drop it.
    }
  }
}
