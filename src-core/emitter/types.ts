import type { EventMetadata, NewEvent, StoredEvent } from '../events/types';

export type EmitterMode = 'sync' | 'buffered';

/** What `emit` returns at once. In sync mode the event is durable and `stored` is set. */
export interface EmitReceipt {
  event_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  created_at: number;
  metadata: EventMetadata;
  /** Set in sync mode (written before emit returned); undefined while queued. */
  stored?: StoredEvent;
}

export type Listener = (event: StoredEvent) => void | Promise<void>;

export interface EmitterMetrics {
  mode: EmitterMode;
  emittedByType: Record<string, number>;
  emittedTotal: number;
  rejectedInvalid: number;
  listenerErrors: number;
  queueDepth: number;
  queueCapacity: number;
  flushes: number;
  flushFailures: number;
  appendLatencyMs: { count: number; mean: number; p50: number; p99: number; max: number };
}

export interface Emitter {
  readonly mode: EmitterMode;
  /**
   * Validate, then append (sync) or queue (buffered). Throws ValidationError with nothing
   * written when the event is invalid. Metadata's correlation and causation ids come from
   * the causal context unless given.
   */
  emit(event: NewEvent): EmitReceipt;
  /** All or nothing. */
  emitBatch(events: readonly NewEvent[]): EmitReceipt[];
  /** Write everything queued now (a no-op in sync mode). */
  flush(): void;
  /** Flush and stop; later emits throw ClosedError. */
  close(): void;
  on(eventType: string, listener: Listener): () => void;
  onAll(listener: Listener): () => void;
  metrics(): EmitterMetrics;
}
