import { types } from 'node:util';
import { inject, injectable } from 'tsyringe';
import { TOKENS, type ErrorReporter } from '../container/tokens';
import type { CausalContext } from '../context/types';
import type { HookCall, HookHandler, HookRegistry } from './types';
import { BOUND_HOOKS, type HookDispatcher } from './binding';

type Step = 'before' | 'after' | 'error';
/** One registration (its own identity, so one handler attached twice detaches once at a time). */
interface Attached {
  readonly handler: HookHandler;
}

/**
 * One container's hook points. Handler lists are copy-on-write arrays, so a handler that
 * detaches (or attaches) during a call does not disturb the call in flight.
 */
@injectable()
export class DefaultHookRegistry implements HookRegistry, HookDispatcher {
  private readonly handlers = new Map<string, readonly Attached[]>();
  /** Registrations in total: a plain field, cheaper to test than a Map lookup. */
  private attached = 0;

  constructor(
    @inject(TOKENS.CausalContext) private readonly causal: CausalContext,
    @inject(TOKENS.ErrorReporter) private readonly reporter: ErrorReporter,
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
    const entry: Attached = { handler: handler as HookHandler };
    this.handlers.set(point, [...(this.handlers.get(point) ?? []), entry]);
    this.attached += 1;
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
    Object.defineProperty(instance, BOUND_HOOKS, {
      value: this,
      enumerable: false,
      configurable: true,
      writable: false,
    });
    return instance;
  }

  /** Detaches an instance: its decorated methods behave as undecorated again. */
  unbind(instance: object): void {
    if (Object.prototype.hasOwnProperty.call(instance, BOUND_HOOKS)) {
      delete (instance as Record<symbol, unknown>)[BOUND_HOOKS];
    }
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

  private invoke(
    handlers: readonly Attached[],
    call: HookCall,
    original: (...args: unknown[]) => unknown,
    args: unknown[],
  ): unknown {
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
      const fn = handler[step];
      if (fn === undefined) continue;
      try {
        const out: unknown =
          step === 'before'
            ? (fn as NonNullable<HookHandler['before']>).call(handler, call)
            : (fn as NonNullable<HookHandler['after']>).call(handler, call, value);
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
