import type { CorruptEvent, StoredEvent } from '../events/types';
import type { CheckpointStore, EventFilter, EventReader } from '../store/types';

/** What to do after a handler threw: re-deliver from the checkpoint, move past it, or end the run. */
export type ErrorDecision = 'retry' | 'skip' | 'stop';

interface CommonOptions {
  /** The checkpoint's key: one running consumer per name. */
  name: string;
  /** Only these events are delivered; the checkpoint still moves past the others. */
  filter?: EventFilter;
  /** Events read and checkpointed together. Default 200. */
  batchSize?: number;
  /** How often to look for new events once caught up. Default 250 ms. */
  pollIntervalMs?: number;
  /** Where a consumer with no checkpoint yet starts: the whole log (default) or only new events. */
  startAt?: 'beginning' | 'head';
  /** A row whose JSON did not parse; it is skipped either way. */
  onCorrupt?(record: CorruptEvent): void;
  /** Default 'stop': the run ends and start()/catchUp() reject with the handler's error. */
  onError?(error: unknown, events: readonly StoredEvent[]): ErrorDecision;
}

/**
 * Delivery is at-least-once: a crash after handling a batch and before its checkpoint is
 * saved delivers that batch again. Handlers must therefore be idempotent (upsert by
 * event_id or position, or keep their own high-water mark).
 */
export type SubscriptionOptions = CommonOptions &
  (
    | {
        /** Called once per event, in position order; a returned promise is awaited before the next. */
        handle(event: StoredEvent): void | Promise<void>;
        handleBatch?: never;
      }
    | {
        /** A whole batch at once, e.g. to write a projection in one transaction; awaited before the checkpoint moves. */
        handleBatch(events: readonly StoredEvent[]): void | Promise<void>;
        handle?: never;
      }
  );

/** What a {@link Subscription} reads from and saves its checkpoint to. */
export interface SubscriptionDeps {
  /** The log to consume. */
  reader: EventReader;
  /** Usually the same SQLite file as the reader; must be writable. */
  checkpoints: CheckpointStore;
}

/**
 * `idle`: not started; `running`: in start(); `stopped`: stop() ended it; `failed`: an error (a
 * handler's, with onError saying 'stop', or a read's) ended it; see `Subscription.error`.
 */
export type SubscriptionState = 'idle' | 'running' | 'stopped' | 'failed';

/** What {@link Subscription.catchUp} did. */
export interface CatchUpResult {
  /** Events handed to the handler during this call. */
  handled: number;
  /** The checkpoint reached. */
  position: number;
}

/** Counters since this {@link Subscription} instance was created. */
export interface SubscriptionStats {
  /** Events handed to the handler. */
  handled: number;
  /** Rows whose JSON did not parse, skipped. */
  corruptSkipped: number;
  /** Times the handler threw or rejected. */
  handlerErrors: number;
  /** Pages read that held at least one row. */
  batches: number;
}
