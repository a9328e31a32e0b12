/**
 * What each built-in plugin's hook handlers share, created once per plugin instance inside
 * `attach(ctx)`: an emit that turns a decision into an event of the plugin's catalogue and
 * continues an entity's causal chain (the core's `ctx.chains`), and the clock.
 */
import type { ChainRef, EmitReceipt, EventDefinitions, PluginContext, StoredEvent } from '../../src-core';
import type { Input } from './input';

/**
 * What a decide function answers: one event to emit. The aggregate type comes from the
 * catalogue entry of `eventType`, so a handler cannot file an event under the wrong one.
 */
export interface Decision<K extends string = string> {
  eventType: K;
  aggregateId: string;
  payload: Input;
  /** Aggregates whose chain this event may continue (`ref('order', id)`); the most recently moved one wins. */
  follow: readonly (ChainRef | null)[];
  /** Unix ms; default the clock's now. */
  createdAt?: number;
}

/** A chain ref (null when the id is missing): what `Decision.follow` lists. Pure, like the core's `chains.ref`. */
export function ref(aggregateType: string, id: string | null | undefined): ChainRef | null {
  return id ? { aggregateType, aggregateId: id } : null;
}

export class PluginRuntime<D extends EventDefinitions> {
  constructor(
    readonly ctx: PluginContext,
    private readonly catalogue: D,
  ) {}

  now(): number {
    return this.ctx.clock.now();
  }

  /** Emits the decided event and returns it as a reducer sees it (the stored one in sync mode). */
  emit(decision: Decision<keyof D & string>): StoredEvent {
    const definition = this.catalogue[decision.eventType]!;
    // Every committed event, from any plugin, moves its aggregate's chain: that is how a
    // position opened by a fill finds the order's chain without importing the order plugin.
    const receipt = this.ctx.chains.emit(
      {
        event_type: decision.eventType,
        aggregate_type: definition.aggregateType,
        aggregate_id: decision.aggregateId,
        payload: decision.payload,
        created_at: decision.createdAt ?? this.now(),
      },
      decision.follow,
    );
    return asStored(receipt, decision.payload);
  }
}

/** A receipt as a StoredEvent (buffered mode has no stored event yet: the payload we sent stands in). */
function asStored(receipt: EmitReceipt, payload: Input): StoredEvent {
  if (receipt.stored) return receipt.stored;
  return {
    position: 0,
    event_id: receipt.event_id,
    event_type: receipt.event_type,
    aggregate_type: receipt.aggregate_type,
    aggregate_id: receipt.aggregate_id,
    sequence_number: 0,
    created_at: receipt.created_at,
    payload,
    metadata: receipt.metadata,
  };
}

/** The keys a zod object schema declares. */
export function keysOf(schema: { shape: Record<string, unknown> }): string[] {
  return Object.keys(schema.shape);
}
