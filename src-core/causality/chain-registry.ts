import type { CausalContext } from '../context/types';
import type { EmitReceipt, Emitter } from '../emitter/types';
import type { NewEvent, StoredEvent } from '../events/types';
import type { CausalChains, ChainLink, ChainRef, PluginHistory } from './types';

type Ref = ChainRef | null | undefined;

interface Entry extends ChainLink {
  /** Recency in this process (0: read from the log, older than anything seen live). */
  tick: number;
  /** Global log position, orders the entries read from the log among themselves. */
  position: number;
}

/** Entries kept in memory; an evicted chain is read back from the log when next needed. */
export const CHAIN_CAPACITY = 50_000;

/**
 * PluginContext.chains: where each aggregate's causal chain stands. Fed by every
 * committed event (the emitter's onAll) and by the receipts of its own emits (buffered
 * mode commits later); an aggregate it has not seen is read from the log's latest event.
 * Created once per plugin loader, i.e. per catalyst. It follows this process's writes:
 * what another process appends later to an aggregate already looked up is not seen.
 */
export class ChainRegistry implements CausalChains {
  private readonly links = new Map<string, Entry>();
  /** Aggregates the log had no chain for (a risk check names a subject that is no order, say): not asked again until they move. */
  private readonly absent = new Set<string>();
  private tick = 0;
  private listening = false;

  constructor(
    private readonly emitter: Emitter,
    private readonly causal: CausalContext,
    private readonly history: PluginHistory,
    private readonly capacity = CHAIN_CAPACITY,
  ) {}

  /**
   * Starts following every committed event (the loader calls it when it registers a
   * plugin: a catalyst without plugins pays no listener).
   */
  listen(): this {
    if (!this.listening) {
      this.listening = true;
      this.emitter.onAll((event) => this.observe(event));
    }
    return this;
  }

  get size(): number {
    return this.links.size;
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

  emit(event: NewEvent, follow: readonly Ref[]): EmitReceipt {
    const receipt = this.run(follow, () => this.emitter.emit(event));
    this.observe(receipt);
    return receipt;
  }

  /** Any event, committed or just queued: its aggregate's chain is where it is. */
  observe(event: Pick<StoredEvent, 'aggregate_type' | 'aggregate_id' | 'event_id' | 'metadata'>): void {
    const correlationId = event.metadata?.correlation_id;
    if (!correlationId) return;
    this.remember(keyOf(event.aggregate_type, event.aggregate_id), { correlationId, lastEventId: event.event_id, tick: ++this.tick, position: 0 });
  }

  private entry(ref: ChainRef): Entry | undefined {
    const key = keyOf(ref.aggregateType, ref.aggregateId);
    const live = this.links.get(key);
    if (live !== undefined) return live;
    if (this.absent.has(key)) return undefined;
    // Not seen since start (a restart) or evicted: the log's latest event is where it stands.
    const last = this.history.last(ref.aggregateType, ref.aggregateId);
    const correlationId = last?.metadata?.correlation_id;
    if (!last || !correlationId) {
      this.absent.add(key);
      if (this.absent.size > this.capacity) this.absent.delete(this.absent.values().next().value!);
      return undefined;
    }
    const loaded: Entry = { correlationId, lastEventId: last.event_id, tick: 0, position: last.position };
    this.remember(key, loaded);
    return loaded;
  }

  private remember(key: string, entry: Entry): void {
    this.absent.delete(key);
    this.links.delete(key); // re-insert: Map order is the eviction order
    this.links.set(key, entry);
    if (this.links.size > this.capacity) {
      const oldest = this.links.keys().next().value;
      if (oldest !== undefined) this.links.delete(oldest);
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
