/**
 * Causality, in one folder: the running scope (AsyncCausalContext), how an event's metadata is
 * linked to it (links.ts, called once by the emitter when it completes the metadata) and
 * where each aggregate's chain stands across calls (ChainRegistry).
 *
 * Causal context (AsyncLocalStorage underneath): events emitted inside one scope share a
 * correlation id, and each carries as causation id the id of the event before it.
 */

/** One running causal scope: the correlation id its events share and the last event emitted in it. */
export interface CausalScope {
  readonly correlationId: string;
  /** Id of the last event emitted in this scope: the next one's causation id. */
  lastEventId: string | null;
}

/** Opens and finds causal scopes; the emitter reads it to fill `correlation_id` and `causation_id`. */
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

/** The aggregate a causal chain belongs to. */
export interface ChainRef {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/** Where a chain stands: the correlation id it runs under and the id of its latest event. */
export interface ChainLink {
  readonly correlationId: string;
  readonly lastEventId: string;
}

/** Finding and continuing an aggregate's chain (PluginContext.chains adds `emit`). */
export interface ChainLookup {
  /** A ref to an aggregate's chain; null when the id is missing (refs may be null: they are skipped). */
  ref(aggregateType: string, aggregateId: string | null | undefined): ChainRef | null;
  /** The most recently moved chain among `follow`: seen in this process first, then the log's latest. */
  find(follow: readonly (ChainRef | null | undefined)[]): ChainLink | undefined;
  /**
   * Runs `fn` continuing the latest chain among `follow` when the running scope has not
   * started a chain of its own (nothing emitted in it yet). Inside an active chain (a nested
   * hooked call) `fn` simply joins that chain.
   */
  run<T>(follow: readonly (ChainRef | null | undefined)[], fn: () => T): T;
}
