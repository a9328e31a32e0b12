import { isDuplicateEventError } from '../../errors';
import type { PreparedEvent, StoredEvent } from '../../events/types';
import type { EventWriter } from '../../store/types';

/**
 * One group the store committed. The counters need only each event's type, so a stored event
 * is built when asked for (when a listener wants it), not for every event of every batch.
 */
export interface CommittedGroup {
  /** The events as they were queued, in order. */
  readonly events: readonly PreparedEvent[];
  /** Event `i` as the log holds it (position and sequence number added); a new object per call. */
  stored(i: number): StoredEvent;
}

/** What one write of queued groups did. */
export interface BatchOutcome {
  /** Per group taken off the queue, oldest first: what it committed, or the error that set it aside. */
  settled: (CommittedGroup | { discarded: unknown })[];
  /** Why the write stopped before the end of the batch: the groups after `settled` stay queued. */
  error?: unknown;
  /** Time the store took, ms. */
  ms: number;
}

/** Writes the buffered emitter's batches: on a writer thread, or in the bot's thread. One write at a time. */
export interface BatchWriter {
  /** A write has started and its `done` has not run yet. */
  readonly busy: boolean;
  /** Starts writing `groups` in one transaction; `done` runs once, in the bot's thread, with the outcome. */
  write(groups: PreparedEvent[][], done: (outcome: BatchOutcome) => void): void;
  /** Blocks the calling thread until the write in progress (if any) has run its `done`. */
  settle(): void;
  /** Settles, then releases the connection. */
  close(): void;
}

/** What writeGroups did, group by group: the store's events, or the error that set the group aside. */
export interface WrittenGroups {
  settled: (StoredEvent[] | { discarded: unknown })[];
  error?: unknown;
  ms: number;
}

/** What the store returned for a group, as a CommittedGroup. */
export function committed(events: readonly PreparedEvent[], stored: readonly StoredEvent[]): CommittedGroup {
  return { events, stored: (i) => stored[i]! };
}

/**
 * One transaction for the batch. An event the store refuses as a duplicate id with other
 * content would block the queue forever: then each group is written on its own, and the
 * refused one(s) set aside (the caller reports them). Any other failure stops the write: what
 * was not written stays queued, oldest first. Groups come back as the store returned them.
 */
export function writeGroups(store: EventWriter, groups: readonly PreparedEvent[][]): WrittenGroups {
  const start = performance.now();
  const ms = () => performance.now() - start;
  try {
    const stored = store.appendBatch(groups.length === 1 ? groups[0]! : groups.flat());
    if (groups.length === 1) return { settled: [stored], ms: ms() };
    const settled: StoredEvent[][] = [];
    let at = 0;
    for (const group of groups) settled.push(stored.slice(at, (at += group.length)));
    return { settled, ms: ms() };
  } catch (error) {
    if (!isDuplicateEventError(error) || groups.length === 1) {
      return isDuplicateEventError(error) ? { settled: [{ discarded: error }], ms: ms() } : { settled: [], error, ms: ms() };
    }
  }
  const settled: WrittenGroups['settled'] = [];
  for (const group of groups) {
    try {
      settled.push(store.appendBatch(group));
    } catch (error) {
      if (!isDuplicateEventError(error)) return { settled, error, ms: ms() };
      settled.push({ discarded: error });
    }
  }
  return { settled, ms: ms() };
}

/** In the bot's thread (sync stores that no second connection can share: in-memory, wrapped): `done` runs before `write` returns. */
export class InlineBatchWriter implements BatchWriter {
  readonly busy = false;
  constructor(private readonly store: EventWriter) {}

  write(groups: PreparedEvent[][], done: (outcome: BatchOutcome) => void): void {
    const outcome = writeGroups(this.store, groups);
    done({
      ...outcome,
      settled: outcome.settled.map((settled, g) => (Array.isArray(settled) ? committed(groups[g]!, settled) : settled)),
    });
  }

  settle(): void {}

  close(): void {}
}
