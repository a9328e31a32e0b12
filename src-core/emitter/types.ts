import type { z } from 'zod';
import type { EventMetadata, NewEvent, Payload, PreparedEvent, StoredEvent } from '../events/types';
import type { Upcaster } from '../schema/types';

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

export type Listener = (event: StoredEvent) => void | Promise<void>;

export interface EmitterMetrics {
  mode: EmitterMode;
  emittedByType: Record<string, number>;
  emittedTotal: number;
  rejectedInvalid: number;
  listenerErrors: number;
  queueDepth: number;
  queueCapacity: number;
  flushes: number;
  flushFailures: number;
  appendLatencyMs: { count: number; mean: number; p50: number; p99: number; max: number };
}

export interface Emitter {
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
  on(eventType: string, listener: Listener): () => void;
  onAll(listener: Listener): () => void;
  /**
   * Every event this emitter accepts, once, with its completed metadata: after commit in
   * sync mode, when queued in buffered mode (before it is on disk). For bookkeeping that must
   * follow the writer without waiting for a flush (the causal chains); a throw is reported.
   */
  onAccepted(listener: (event: PreparedEvent) => void): () => void;
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
  emit<T extends string = keyof C & string>(event: EmittableEvent<C, NoInfer<T>>): EmitReceipt;
  emitBatch<T extends string = keyof C & string>(events: readonly EmittableEvent<C, NoInfer<T>>[]): EmitReceipt[];
}
