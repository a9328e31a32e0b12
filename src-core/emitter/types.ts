import type { z } from 'zod';
import type { EventMetadata, NewEvent, Payload, PreparedEvent, StoredEvent } from '../events/types';
import type { Upcaster } from '../schema/types';

/**
 * `sync`: `emit` returns once the event is committed. `buffered`: `emit` queues and a writer commits
 * in batches (config `emitter.batchSize`, `emitter.flushIntervalMs`).
 */
export type EmitterMode = 'sync' | 'buffered';

/** What `emit` returns at once. In sync mode the event is durable and `stored` is set. */
export interface EmitReceipt {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  created_at: number;
  metadata: EventMetadata;
  /** Set in sync mode (written before emit returned); undefined while queued. */
  stored?: StoredEvent;
}

/**
 * Called once per committed event, after the commit. A throw or a rejected promise goes to the
 * {@link ErrorReporter}; a returned promise is not awaited.
 */
export type Listener = (event: StoredEvent) => void | Promise<void>;

/**
 * Counters since the emitter was created, as {@link Emitter.metrics} returns them (see also
 * {@link renderPrometheus}).
 */
export interface EmitterMetrics {
  /** The mode the emitter runs in. */
  mode: EmitterMode;
  /** Events committed to the store, by event type. */
  emittedByType: Record<string, number>;
  /** Events committed to the store. */
  emittedTotal: number;
  /** Events refused by validation (nothing written). */
  rejectedInvalid: number;
  /** Listener calls that threw or rejected. */
  listenerErrors: number;
  /** Events queued and not yet written (always 0 in sync mode). */
  queueDepth: number;
  /** The queue's bound in buffered mode; 0 in sync mode. */
  queueCapacity: number;
  /** Queue writes that succeeded (buffered mode). */
  flushes: number;
  /** Queue writes that failed, plus batches set aside as duplicates (buffered mode). */
  flushFailures: number;
  /**
   * Store write time in ms, per write (one emit or batch in sync mode, one queue write in buffered).
   * Count, mean and max over the emitter's life; p50 and p99 over the last 1,024 writes.
   */
  appendLatencyMs: { count: number; mean: number; p50: number; p99: number; max: number };
}

/**
 * Where a bot writes events: validates each against its registered schema, fills ids, time and
 * causal metadata, writes it and notifies listeners. See {@link TypedEmitter} for compile-time checks.
 */
export interface Emitter {
  /** `sync` or `buffered`, from config `emitter.mode`. */
  readonly mode: EmitterMode;
  /**
   * Validate, then append (sync) or queue (buffered). Throws ValidationError with nothing
   * written when the event is invalid. Metadata's correlation and causation ids come from
   * the causal context unless given.
   */
  emit(event: NewEvent): EmitReceipt;
  /** All or nothing. */
  emitBatch(events: readonly NewEvent[]): EmitReceipt[];
  /** Write everything queued now (a no-op in sync mode). */
  flush(): void;
  /** Flush and stop; later emits throw ClosedError. */
  close(): void;
  /** Calls `listener` for each committed event of `eventType`. Returns a function that removes it. */
  on(eventType: string, listener: Listener): () => void;
  /** Calls `listener` for every committed event, after the typed listeners. Returns a function that removes it. */
  onAll(listener: Listener): () => void;
  /**
   * Every event this emitter accepts, once, with its completed metadata: after commit in
   * sync mode, when queued in buffered mode (before it is on disk). For bookkeeping that must
   * follow the writer without waiting for a flush (the causal chains); a throw is reported.
   */
  onAccepted(listener: (event: PreparedEvent) => void): () => void;
  /** A snapshot of the counters; see {@link EmitterMetrics}. */
  metrics(): EmitterMetrics;
}

// ---------------------------------------------------------------------------------------
// Typed catalogues: `emit` checked by event type at compile time, still open to any type.
//
// A plugin declares its event types once, as a `const` object of EventDefinitions keyed by
// event type (its events.ts) and carries it on the plugin object as `events`. The types
// below turn that object into what a writer may pass: `TypedEmitter<C>.emit` then rejects
// an unknown event type, a wrong aggregate type or a payload of the wrong shape, while an
// event type outside the catalogue is emitted by naming it: `emit<'MY_TYPE'>({...})`.
// A generic parameter, not module augmentation: augmenting a relative module path does not
// survive bundling the .d.ts files, and a global catalogue would retype every caller.

/** One event type as a plugin's catalogue declares it (the key is the event type). */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  aggregateType: string;
  payload: S;
  /** Written to metadata.version; the plugin's catalogue version when absent. */
  version?: string;
  /** A short human label for views ("Order filled"). */
  label: string;
  description?: string;
  upcasters?: readonly Upcaster[];
}

/** A plugin's catalogue: event type -> definition. */
export type EventDefinitions = { readonly [eventType: string]: EventDefinition };

/** What a writer must know of one event type: its aggregate type and its payload as passed to emit. */
export interface CatalogueEntry {
  aggregate_type: string;
  payload: Payload;
}

/** Event type -> what emit accepts for it. */
export type EventCatalogue = { readonly [eventType: string]: CatalogueEntry };

/** Any event type with any payload: what an untyped `Emitter` accepts. */
export type OpenCatalogue = Record<string, CatalogueEntry>;

/** The emit-side catalogue of a definitions object (payloads as zod inputs: defaulted keys optional). */
export type CatalogueOf<D extends EventDefinitions> = {
  [K in keyof D & string]: { aggregate_type: D[K]['aggregateType']; payload: z.input<D[K]['payload']> & Payload };
};

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The catalogue a plugin object carries on `events` (none: an empty catalogue). */
export type PluginCatalogue<P> = P extends { readonly events: infer D extends EventDefinitions } ? CatalogueOf<D> : Record<never, never>;

/** The union of the catalogues of a list of plugin objects: `CatalogueOfPlugins<[typeof order, typeof position]>`. */
export type CatalogueOfPlugins<P extends readonly unknown[]> = [P[number]] extends [never]
  ? OpenCatalogue
  : UnionToIntersection<PluginCatalogue<P[number]>> & {};

/** One catalogued event as a writer passes it. */
export type CatalogueEvent<C extends EventCatalogue, K extends keyof C & string = keyof C & string> = K extends unknown
  ? Omit<NewEvent, 'event_type' | 'aggregate_type' | 'payload'> & {
      event_type: K;
      aggregate_type: C[K]['aggregate_type'];
      payload: C[K]['payload'];
    }
  : never;

/** What `emit<T>` accepts: a catalogued event, or (T named explicitly, outside the catalogue) any event of type T. */
export type EmittableEvent<C extends EventCatalogue, T extends string> = string extends keyof C
  ? NewEvent
  : T extends keyof C & string
    ? CatalogueEvent<C, T>
    : NewEvent & { event_type: T };

/**
 * The emitter seen through a catalogue. Every `Emitter` is one (`const e: TypedEmitter<C> =
 * catalyst.emitter`); the runtime check stays the schema registry's.
 *
 * ```ts
 * type C = CatalogueOfPlugins<[typeof orderPlugin, typeof positionPlugin]>;
 * const emitter: TypedEmitter<C> = catalyst.emitter;
 * emitter.emit({ event_type: 'ORDER_FILLED', aggregate_type: 'order', aggregate_id, payload });   // checked
 * emitter.emit<'MY_OWN_EVENT'>({ event_type: 'MY_OWN_EVENT', aggregate_type: 'mine', aggregate_id, payload }); // open
 * ```
 */
export interface TypedEmitter<C extends EventCatalogue> extends Omit<Emitter, 'emit' | 'emitBatch'> {
  /** As {@link Emitter.emit}, with the event checked against catalogue `C` at compile time. */
  emit<T extends string = keyof C & string>(event: EmittableEvent<C, NoInfer<T>>): EmitReceipt;
  /** As {@link Emitter.emitBatch}, with each event checked against catalogue `C` at compile time. */
  emitBatch<T extends string = keyof C & string>(events: readonly EmittableEvent<C, NoInfer<T>>[]): EmitReceipt[];
}
