import { isDuplicateEventError } from '../../errors';
import type { PreparedEvent, StoredEvent } from '../../events/types';
import type { EventWriter } from '../../store/types';

/** What one write of queued groups did. */
export interface BatchOutcome {
  /** Per group taken off the queue, oldest first: its stored events, or the error that set it aside. */
  settled: (StoredEvent[] | { discarded: unknown })[];
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

/**
 * One transaction for the batch. An event the store refuses as a duplicate id with other
 * content would block the queue forever: then each group is written on its own, and the
 * refused one(s) set aside (the caller reports them). Any other failure stops the write: what
 * was not written stays queued, oldest first.
 */
export function writeGroups(store: EventWriter, groups: readonly PreparedEvent[][]): BatchOutcome {
  const start = performance.now();
  const ms = () => performance.now() - start;
  try {
    const stored = store.appendBatch(groups.length === 1 ? groups[0]! : groups.flat());
    const settled: StoredEvent[][] = [];
    let at = 0;
    for (const group of groups) settled.push(stored.slice(at, (at += group.length)));
    return { settled, ms: ms() };
  } catch (error) {
    if (!isDuplicateEventError(error) || groups.length === 1) {
      return isDuplicateEventError(error) ? { settled: [{ discarded: error }], ms: ms() } : { settled: [], error, ms: ms() };
    }
  }
  const settled: BatchOutcome['settled'] = [];
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
    done(writeGroups(this.store, groups));
  }

  settle(): void {}

  close(): void {}
}
