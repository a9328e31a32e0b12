import { isRepeat } from '../events/repeat';
import type { StoredEvent } from '../events/types';
import type { Listener } from './types';

/** Listeners by event type and for every event. Unsubscribing while notifying is safe. */
export class ListenerSet {
  private readonly byType = new Map<string, Set<Listener>>();
  private readonly all = new Set<Listener>();

  on(eventType: string, listener: Listener): () => void {
    let set = this.byType.get(eventType);
    if (!set) this.byType.set(eventType, (set = new Set()));
    const target = set;
    target.add(listener);
    return () => {
      target.delete(listener);
      if (target.size === 0 && this.byType.get(eventType) === target) this.byType.delete(eventType);
    };
  }

  onAll(listener: Listener): () => void {
    this.all.add(listener);
    return () => {
      this.all.delete(listener);
    };
  }

  /** Whether any listener would hear an event of this type (so the emitter builds it only then). */
  wants(eventType: string): boolean {
    return this.all.size > 0 || this.byType.has(eventType);
  }

  /** Typed listeners first, then the catch-all ones; a snapshot, so (un)subscribing inside one is safe. */
  for(event: StoredEvent): Listener[] {
    if (isRepeat(event)) return []; // an idempotent repeat: listeners heard it the first time
    const typed = this.byType.get(event.event_type);
    if (!typed && this.all.size === 0) return [];
    return [...(typed ?? []), ...this.all];
  }
}
