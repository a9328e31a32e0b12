import type { Clock } from '../clock/clock';
import type { ErrorReporter } from '../errors/reporter';
import type { HookRegistry } from '../hooks/types';
import type { CausalContext, ChainLookup, ChainRef } from '../causality/types';

export type { ChainLink, ChainLookup, ChainRef } from '../causality/types';
import type { EmitReceipt, Emitter } from '../emitter/types';
import type { NewEvent, StoredEvent } from '../events/types';
import type { ReducerDefinition, RebuildAnomaly } from '../rebuild/types';
import type { EventSchemaDefinition } from '../schema/types';

// Definition types live with the schema registry and the rebuilder; plugins find them here too.
export type { EventSchemaDefinition, Upcaster } from '../schema/types';
export type { ReducerDefinition } from '../rebuild/types';
import type { AggregateRange, EventFilter, EventPage, EventReader, PageRequest } from '../store/types';

/**
 * What `define` gets: the plugin's event catalogue and folds go in here (upcasters travel on
 * the schema definitions). Every session calls it, read-only ones (CLI reads, the viewer, the
 * forwarder) too, so it must not start anything.
 */
export interface DefineContext {
  /** This plugin's options from the config (`pluginOptions[name]`), unvalidated. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Where the plugin's event schemas go. */
  readonly schemas: {
    /**
     * Registers one event type's schema, checked on every emit.
     * @throws {@link PluginError} when the definition is invalid or the event type is already registered.
     */
    register(definition: EventSchemaDefinition): void;
  };
  /** Where the plugin's reducers (one per aggregate type) go. */
  readonly reducers: {
    /**
     * Registers the fold of one aggregate type.
     * @throws {@link PluginError} when the definition is invalid or the aggregate type already has one.
     */
    register<S>(definition: ReducerDefinition<S>): void;
  };
}

/** What `attach` (and a 1.0/1.1 `register`) gets: the define context plus everything a live bot has. */
export interface PluginContext extends DefineContext {
  readonly clock: Clock;
  readonly reporter: ErrorReporter;
  readonly hooks: HookRegistry;
  readonly emitter: Emitter;
  readonly causal: CausalContext;
  /**
   * The log's query side, read-only (async; `close()` is a no-op: the catalyst owns the
   * store). For work an async `register()` can do up front; hook handlers use `history`.
   */
  readonly reader: EventReader;
  /**
   * Synchronous reads of committed events, for hook handlers (they run inside the bot's
   * call): how a plugin rebuilds the live state it keeps in memory after a restart.
   */
  readonly history: PluginHistory;
  /** Causal chains per aggregate, shared by every plugin of the catalyst (see CausalChains). */
  readonly chains: CausalChains;
}

/** An aggregate folded from the log by `PluginContext.history.rebuild`. */
export interface RehydratedAggregate<S> {
  state: S;
  /** Sequence number of the last event folded. */
  version: number;
  /** The last event folded: its metadata says where the aggregate's causal chain stands. */
  lastEvent: StoredEvent;
  /** What the fold itself noticed (sequence gaps, a throwing reducer); the reducer's own anomalies live on its state. */
  anomalies: readonly RebuildAnomaly[];
}

/**
 * Read-only, synchronous access to what is committed in the log. A plugin keeps the live
 * state its handlers decide on (dedupe sets, P&L, throttles) in memory; when a handler
 * meets an aggregate it holds nothing for (the bot restarted, or the cache evicted it),
 * it rebuilds that state here before deciding what to emit.
 *
 * Only committed events are seen: in buffered mode, events still queued are not (the
 * plugin's own in-memory state covers those). Payloads are upcast as the rebuilder does;
 * rows whose JSON is corrupt are left out. Over a store without synchronous reads (a
 * remote reader) `available` is false and every answer is empty.
 */
export interface PluginHistory {
  readonly available: boolean;
  /** The aggregate's events in sequence order. */
  events(aggregateType: string, aggregateId: string, range?: AggregateRange): StoredEvent[];
  /** Last sequence number; 0 when the aggregate has no events. */
  version(aggregateType: string, aggregateId: string): number;
  /** The aggregate's latest event, or null. */
  last(aggregateType: string, aggregateId: string): StoredEvent | null;
  /**
   * Folds the aggregate's whole history (no snapshots: meant for the few aggregates a
   * handler meets after a restart) with `reducer`, by default the one registered for the
   * type (UnknownTypeError if none). Null when the aggregate has no events.
   */
  rebuild<S>(aggregateType: string, aggregateId: string, reducer?: ReducerDefinition<S>): RehydratedAggregate<S> | null;
  /** A keyset page of the global stream, filtered: the reader's `readPage`, synchronously. */
  page(filter: EventFilter, page: PageRequest): EventPage;
}

/**
 * Continuing an entity's causal chain from a later, separate call: a fill on a later tick
 * links to its ORDER_SUBMITTED, a position opened by that fill follows the fill, a price
 * update follows the position's last event. Every accepted event (any plugin's) moves its
 * aggregate's chain; an aggregate not seen since start is looked up in the log, so chains
 * survive a restart. One per catalyst, bounded in memory (src-core/causality/chain-registry.ts).
 *
 * ```ts
 * const { chains } = ctx;
 * chains.emit(
 *   { event_type: 'ORDER_FILLED', aggregate_type: 'order', aggregate_id: id, payload },
 *   [chains.ref('order', id), chains.ref('signal', signalId)],   // the most recently moved one wins
 * );
 * ```
 */
export interface CausalChains extends ChainLookup {
  /** `emitter.emit(event)` inside `run(follow, ...)`; the event then moves its own aggregate's chain. */
  emit(event: NewEvent, follow: readonly (ChainRef | null | undefined)[]): EmitReceipt;
}

/**
 * A plugin: a plain object, or the default export of a module named in the config's `plugins`.
 * Needs `define` and/or `attach`, or the older `register`.
 */
export interface CatalystPlugin {
  /** Unique among the loaded plugins; `pluginOptions[name]` in the config is its options. */
  name: string;
  /** The plugin's own version (semver). */
  version: string;
  /** Names of plugins that must be registered first. */
  dependencies?: readonly string[];
  /** Semver range of the core API this plugin was written against, e.g. "^1.0.0". */
  coreApi: string;
  /** 1.2: schemas, reducers, upcasters. Called by every session, read-only ones too. */
  define?(ctx: DefineContext): void;
  /** 1.2: hook handlers and live state. Called only by a write session (a bot), after `define`. */
  attach?(ctx: PluginContext): void | Promise<void>;
  /**
   * The 1.0/1.1 form, still accepted: everything in one step (a read session gives it inert
   * hooks and an emitter that refuses writes). A plugin that also has `define`/`attach` (to load
   * under 1.1 cores too) is loaded through those; its `register` is not called.
   */
  register?(ctx: PluginContext): void | Promise<void>;
}
