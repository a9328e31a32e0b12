import { AsyncLocalStorage } from 'node:async_hooks';
import { UuidV7Generator } from '../events/ids';
import type { CausalContext, CausalScope } from './types';

/**
 * The causal context on AsyncLocalStorage: a scope follows the call chain through awaits,
 * timers and promise callbacks, so events emitted anywhere below `run` link up without the
 * bot passing ids around.
 *
 * A scope is one mutable object shared by everything running in it: concurrent branches of
 * one chain (Promise.all) chain their events in the order they are emitted.
 */
export class AsyncCausalContext implements CausalContext {
  private readonly storage = new AsyncLocalStorage<CausalScope>();

  // Its own generator, on the wall clock: correlation ids must not advance the emitter's
  // generator, whose ids follow the injected (possibly simulated) clock.
  constructor(private readonly ids: UuidV7Generator = new UuidV7Generator()) {}

  current(): CausalScope | undefined {
    return this.storage.getStore();
  }

  /**
   * Without options inside a scope: the same scope (a re-entrant hooked call continues the
   * chain). With `correlationId`: a new chain under that id. With only `causationId`: a new
   * scope on the current (or a new) correlation id whose next event is caused by that id;
   * the outer scope's chain is left as it was.
   */
  run<T>(fn: () => T, options: { correlationId?: string; causationId?: string | null } = {}): T {
    const outer = this.storage.getStore();
    const { correlationId, causationId } = options;
    if (outer && correlationId === undefined && causationId === undefined) return fn();
    const scope: CausalScope = {
      correlationId: correlationId ?? outer?.correlationId ?? this.ids.next(),
      lastEventId: causationId !== undefined ? causationId : correlationId === undefined ? (outer?.lastEventId ?? null) : null,
    };
    return this.storage.run(scope, fn);
  }
}
