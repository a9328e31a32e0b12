import type { EmitterMetrics, EmitterMode } from './types';
import { LatencyReservoir } from './latency-reservoir';

/** The emitter's counters. "Emitted" counts events once they are committed to the store. */
export class MetricsRecorder {
  private readonly emittedByType = new Map<string, number>();
  private emittedTotal = 0;
  private rejectedInvalid = 0;
  private listenerErrors = 0;
  private flushes = 0;
  private flushFailures = 0;
  private readonly latency = new LatencyReservoir();

  committed(eventType: string): void {
    this.emittedByType.set(eventType, (this.emittedByType.get(eventType) ?? 0) + 1);
    this.emittedTotal += 1;
  }

  rejected(): void {
    this.rejectedInvalid += 1;
  }

  listenerFailed(): void {
    this.listenerErrors += 1;
  }

  flushed(): void {
    this.flushes += 1;
  }

  flushFailed(): void {
    this.flushFailures += 1;
  }

  appendLatency(ms: number): void {
    this.latency.record(ms);
  }

  snapshot(mode: EmitterMode, queueDepth: number, queueCapacity: number): EmitterMetrics {
    return {
      mode,
      emittedByType: Object.fromEntries(this.emittedByType),
      emittedTotal: this.emittedTotal,
      rejectedInvalid: this.rejectedInvalid,
      listenerErrors: this.listenerErrors,
      queueDepth,
      queueCapacity,
      flushes: this.flushes,
      flushFailures: this.flushFailures,
      appendLatencyMs: this.latency.summary(),
    };
  }
}
