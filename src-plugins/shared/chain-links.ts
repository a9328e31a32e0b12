/**
 * Where each business entity's causal chain stands: `order:<id>` -> the correlation id and
 * the last event id of that order's chain. A call that arrives later, outside the chain (a
 * fill on a later tick), continues it through `CausalContext.run`.
 *
 * Created per plugin instance inside `register(ctx)`; never module-level. Bounded: the
 * least recently touched entries go first.
 */
import type { CausalContext, EmitReceipt, Emitter, NewEvent, StoredEvent } from '../../src-core';

export interface ChainLink {
  correlationId: string;
  lastEventId: string;
}

export function entityKey(aggregateType: string, id: string | null | undefined): string | null {
  return id ? `${aggregateType}:${id}` : null;
}

export class ChainLinks {
  private readonly links = new Map<string, ChainLink & { tick: number }>();
  private tick = 0;

  constructor(private readonly capacity = 50_000) {}

  get size(): number {
    return this.links.size;
  }

  /**
   * The most recently moved chain among `keys`: an event continues from the latest event of
   * the entities it relates to (a position increased by a fill follows that fill, not the
   * position's previous event).
   */
  find(keys: readonly (string | null)[]): ChainLink | undefined {
    let best: (ChainLink & { tick: number }) | undefined;
    for (const key of keys) {
      if (key === null) continue;
      const link = this.links.get(key);
      if (link && (best === undefined || link.tick > best.tick)) best = link;
    }
    return best && { correlationId: best.correlationId, lastEventId: best.lastEventId };
  }

  remember(key: string, link: ChainLink): void {
    this.links.delete(key); // re-insert: Map order is our recency order
    this.links.set(key, { ...link, tick: ++this.tick });
    if (this.links.size > this.capacity) {
      const oldest = this.links.keys().next().value;
      if (oldest !== undefined) this.links.delete(oldest);
    }
  }

  /** Learn from any committed event (other plugins' too): its aggregate's chain is where it is. */
  observe(event: Pick<StoredEvent, 'aggregate_type' | 'aggregate_id' | 'event_id' | 'metadata'>): void {
    const correlationId = event.metadata?.correlation_id;
    if (!correlationId) return;
    this.remember(`${event.aggregate_type}:${event.aggregate_id}`, { correlationId, lastEventId: event.event_id });
  }
}

/**
 * Emit `event`, continuing the latest chain among the entities in `linkKeys` when the
 * running scope has not started a chain of its own (nothing emitted in it yet). Inside an
 * active chain (a nested hooked call) the event simply joins that chain.
 */
export function emitLinked(
  deps: { emitter: Emitter; causal: CausalContext },
  links: ChainLinks,
  event: NewEvent,
  linkKeys: readonly (string | null)[],
): EmitReceipt {
  const scope = deps.causal.current();
  const fresh = scope === undefined || scope.lastEventId === null;
  const link = fresh ? links.find(linkKeys) : undefined;
  const receipt = link
    ? deps.causal.run(() => deps.emitter.emit(event), { correlationId: link.correlationId, causationId: link.lastEventId })
    : deps.emitter.emit(event);
  links.observe(receipt);
  return receipt;
}
