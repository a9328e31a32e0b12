import type { StoredEvent } from '../events/types';
import type { CausalContext, ChainLink, ChainLookup, ChainRef } from './types';

type Ref = ChainRef | null | undefined;

interface Entry {
  readonly type: string;
  readonly id: string;
  correlationId: string;
  lastEventId: string;
  /** Recency in this process (0: read from the log, older than anything seen live). */
  tick: number;
  /** Global log position, orders the entries read from the log among themselves. */
  position: number;
  /** `tick` when the entry took its place in the eviction order: moved since, if tick is newer. */
  placed: number;
}

/** Entries kept in memory; an evicted chain is read back from the log when next needed. */
export const CHAIN_CAPACITY = 50_000;

/** The log's latest event of an aggregate (where its chain stood when this process met it). */
export type LastEventLookup = (
  aggregateType: string,
  aggregateId: string,
) => Pick<StoredEvent, 'event_id' | 'metadata' | 'position'> | null;

/**
 * Where each aggregate's causal chain stands (behind PluginContext.chains). Fed once per
 * event by the emitter's accepted feed (`observe`: after commit in sync mode, when queued in
 * buffered mode); an aggregate it has not seen is read from the log's latest event. One per
 * catalyst. It follows this process's writes: what another process appends later to an
 * aggregate already looked up is not seen.
 */
export class ChainRegistry implements ChainLookup {
  /**
   * By aggregate type, then id: two lookups by strings the event already holds, not one by a
   * key built (and hashed) for every event.
   */
  private readonly links = new Map<string, Map<string, Entry>>();
  /** Every entry of `links`, in eviction order. */
  private readonly order = new Set<Entry>();
  /** Aggregates the log had no chain for (a risk check names a subject that is no order, say): not asked again until they move. */
  private readonly absent = new Set<string>();
  private tick = 0;

  constructor(
    private readonly causal: CausalContext,
    private readonly lastEvent: LastEventLookup,
    private readonly capacity = CHAIN_CAPACITY,
  ) {}

  get size(): number {
    return this.order.size;
  }

  ref(aggregateType: string, aggregateId: string | null | undefined): ChainRef | null {
    return aggregateId ? { aggregateType, aggregateId } : null;
  }

  find(follow: readonly Ref[]): ChainLink | undefined {
    let best: Entry | undefined;
    for (const ref of follow) {
      if (!ref) continue;
      const entry = this.entry(ref);
      if (entry !== undefined && (best === undefined || newer(entry, best))) best = entry;
    }
    return best && { correlationId: best.correlationId, lastEventId: best.lastEventId };
  }

  run<T>(follow: readonly Ref[], fn: () => T): T {
    const scope = this.causal.current();
    // Inside a chain that has already emitted, the event simply joins it.
    if (scope !== undefined && scope.lastEventId !== null) return fn();
    const link = this.find(follow);
    return link ? this.causal.run(fn, { correlationId: link.correlationId, causationId: link.lastEventId }) : fn();
  }

  /** An accepted event (committed, or queued): its aggregate's chain is where it is. */
  observe(event: Pick<StoredEvent, 'aggregate_type' | 'aggregate_id' | 'event_id' | 'metadata'>): void {
    const correlationId = event.metadata?.correlation_id;
    if (!correlationId) return;
    const tick = ++this.tick;
    const live = this.links.get(event.aggregate_type)?.get(event.aggregate_id);
    if (live !== undefined) {
      // A chain moving on: updated where it stands (this runs for every event emitted).
      live.correlationId = correlationId;
      live.lastEventId = event.event_id;
      live.tick = tick;
      live.position = 0;
      return;
    }
    this.remember({
      type: event.aggregate_type,
      id: event.aggregate_id,
      correlationId,
      lastEventId: event.event_id,
      tick,
      position: 0,
      placed: tick,
    });
  }

  private entry(ref: ChainRef): Entry | undefined {
    const live = this.links.get(ref.aggregateType)?.get(ref.aggregateId);
    if (live !== undefined) return live;
    const key = keyOf(ref.aggregateType, ref.aggregateId);
    if (this.absent.has(key)) return undefined;
    // Not seen since start (a restart) or evicted: the log's latest event is where it stands.
    const last = this.lastEvent(ref.aggregateType, ref.aggregateId);
    const correlationId = last?.metadata?.correlation_id;
    if (!last || !correlationId) {
      this.absent.add(key);
      if (this.absent.size > this.capacity) this.absent.delete(this.absent.values().next().value!);
      return undefined;
    }
    const loaded: Entry = {
      type: ref.aggregateType,
      id: ref.aggregateId,
      correlationId,
      lastEventId: last.event_id,
      tick: 0,
      position: last.position,
      placed: 0,
    };
    this.remember(loaded);
    return loaded;
  }

  /** An aggregate not in `links` yet. */
  private remember(entry: Entry): void {
    if (this.absent.size > 0) this.absent.delete(keyOf(entry.type, entry.id));
    let ids = this.links.get(entry.type);
    if (ids === undefined) this.links.set(entry.type, (ids = new Map<string, Entry>()));
    ids.set(entry.id, entry);
    this.order.add(entry);
    if (this.order.size > this.capacity) this.evictOne();
  }

  /**
   * Drops about the least recently moved chain: "second chance" over the insertion order. An
   * entry moved since it took its place goes to the back instead, so an update costs a field
   * write, not a delete + add per event, and each entry is moved at most once per pass.
   */
  private evictOne(): void {
    for (const entry of this.order) {
      this.order.delete(entry);
      if (entry.tick === entry.placed) {
        const ids = this.links.get(entry.type)!;
        ids.delete(entry.id);
        if (ids.size === 0) this.links.delete(entry.type);
        return;
      }
      entry.placed = entry.tick;
      this.order.add(entry);
    }
  }
}

/** A chain moved in this process beats one read from the log; log entries compare by position. */
function newer(a: Entry, b: Entry): boolean {
  return a.tick !== b.tick ? a.tick > b.tick : a.position > b.position;
}

function keyOf(aggregateType: string, aggregateId: string): string {
  return `${aggregateType}\u0000${aggregateId}`;
}
