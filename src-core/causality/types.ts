/**
 * Causal context (AsyncLocalStorage underneath): events emitted inside one scope share a
 * correlation id, and each carries as causation id the id of the event before it.
 */
export interface CausalScope {
  readonly correlationId: string;
  /** Id of the last event emitted in this scope: the next one's causation id. */
  lastEventId: string | null;
}

export interface CausalContext {
  /** The scope of the running call chain, if any. */
  current(): CausalScope | undefined;
  /**
   * Run `fn` in a scope. Inside an existing scope (a re-entrant hooked call) the same scope
   * is reused unless `correlationId` is given. `causationId` seeds the chain, so work that
   * continues a chain later (a fill, ticks after an order) links back to it.
   */
  run<T>(fn: () => T, options?: { correlationId?: string; causationId?: string | null }): T;
}
