import { ReadOnlyStoreError } from '../errors';
import type { EmitReceipt, Emitter, EmitterMetrics, Listener } from '../emitter/types';

/**
 * The emitter of a reader container (CLI, desktop): plugins register against it as usual,
 * but nothing can be written through it. Listeners are accepted and never called.
 */
export class ReadOnlyEmitter implements Emitter {
  readonly mode = 'sync' as const;

  emit(): EmitReceipt {
    throw new ReadOnlyStoreError('emit');
  }

  emitBatch(): EmitReceipt[] {
    throw new ReadOnlyStoreError('emitBatch');
  }

  flush(): void {}

  close(): void {}

  on(_eventType: string, _listener: Listener): () => void {
    return () => {};
  }

  onAll(_listener: Listener): () => void {
    return () => {};
  }

  onAccepted(): () => void {
    return () => {};
  }

  metrics(): EmitterMetrics {
    return {
      mode: 'sync',
      emittedByType: {},
      emittedTotal: 0,
      rejectedInvalid: 0,
      listenerErrors: 0,
      queueDepth: 0,
      queueCapacity: 0,
      flushes: 0,
      flushFailures: 0,
      appendLatencyMs: { count: 0, mean: 0, p50: 0, p99: 0, max: 0 },
    };
  }
}
