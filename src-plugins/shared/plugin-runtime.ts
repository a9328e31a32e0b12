/**
 * What each built-in plugin's hook handlers share, created once per plugin instance inside
 * `register(ctx)`: an emit that continues an entity's causal chain (the core's
 * `ctx.chains`), the clock, and the "this input cannot make that event" error.
 */
import { ValidationError, type ChainRef, type EmitReceipt, type PluginContext, type StoredEvent } from '../../src-core';
import { missing, type Input } from './input';

export interface Emission {
  eventType: string;
  aggregateType: string;
  aggregateId: string;
  payload: Input;
  /** Aggregates whose chain this event may continue (`rt.ref('order', id)`); the most recently moved one wins. */
  follow: readonly (ChainRef | null)[];
}

export class PluginRuntime {
  constructor(readonly ctx: PluginContext) {}

  /** A chain ref (null when the id is missing): what `Emission.follow` lists. */
  ref(aggregateType: string, id: string | null | undefined): ChainRef | null {
    return this.ctx.chains.ref(aggregateType, id);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  iso(value?: unknown): string | number {
    return typeof value === 'string' || typeof value === 'number' ? value : new Date(this.now()).toISOString();
  }

  /** Emits and returns the event as a reducer sees it (the stored one in sync mode). */
  emit(emission: Emission, createdAt = this.now()): StoredEvent {
    // Every committed event, from any plugin, moves its aggregate's chain: that is how a
    // position opened by a fill finds the order's chain without importing the order plugin.
    const receipt = this.ctx.chains.emit(
      {
        event_type: emission.eventType,
        aggregate_type: emission.aggregateType,
        aggregate_id: emission.aggregateId,
        payload: emission.payload,
        created_at: createdAt,
      },
      emission.follow,
    );
    return asStored(receipt, emission.payload);
  }

  /** Throws a ValidationError naming the keys an input lacks for `eventType`. */
  require(eventType: string, input: Input, keys: readonly string[]): void {
    const absent = missing(input, keys);
    if (absent.length === 0) return;
    throw new ValidationError(
      eventType,
      absent.map((key) => ({
        path: `payload.${key}`,
        message: `required; the hooked call did not provide it (adapt the call with the decorator's \`map\` option)`,
      })),
    );
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
