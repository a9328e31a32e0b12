/**
 * The live state a plugin's handlers decide on (dedupe sets, P&L, throttles), one per
 * aggregate, folded with the same reducer the rebuilder uses. An aggregate not in memory
 * (the bot restarted, or the cache evicted it) is folded from the log on first use, so a
 * restart never makes a plugin treat a known aggregate as new.
 */
import type { PluginHistory, ReducerDefinition, StoredEvent } from '../../src-core';
import { BoundedMap } from './bounded-map';

export class LiveStates<S> {
  private readonly cache: BoundedMap<string, S>;

  constructor(
    private readonly history: PluginHistory,
    private readonly reducer: ReducerDefinition<S>,
    capacity?: number,
  ) {
    this.cache = new BoundedMap<string, S>(capacity);
  }

  /** The aggregate's state: in memory, else rebuilt from the log; undefined when the log has none either. */
  get(id: string): S | undefined {
    const live = this.cache.get(id);
    if (live !== undefined) return live;
    const rebuilt = this.history.rebuild(this.reducer.aggregateType, id, this.reducer);
    if (rebuilt === null) return undefined;
    this.cache.set(id, rebuilt.state);
    return rebuilt.state;
  }

  has(id: string): boolean {
    return this.cache.has(id);
  }

  /**
   * Emits through `emit` and folds the event into the state the aggregate had before it
   * (read first: afterwards the log already holds the event).
   */
  advance(id: string, emit: () => StoredEvent): S {
    const before = this.get(id) ?? this.reducer.initialState(id);
    const next = this.reducer.reduce(before, emit());
    this.cache.set(id, next);
    return next;
  }

  /** What is in memory now (nothing is read from the log). */
  values(): IterableIterator<S> {
    return this.cache.values();
  }
}
