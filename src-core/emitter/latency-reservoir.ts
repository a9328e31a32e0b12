/**
 * Append latencies: count, mean and max over the emitter's life; percentiles over the most
 * recent `size` samples, so memory stays fixed however long the bot runs.
 */
export class LatencyReservoir {
  private readonly samples: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  private max = 0;

  constructor(readonly size = 1024) {
    this.samples = new Float64Array(size);
  }

  record(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
    this.count += 1;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  summary(): { count: number; mean: number; p50: number; p99: number; max: number } {
    const recent = this.samples.slice(0, Math.min(this.count, this.size)).sort();
    return {
      count: this.count,
      mean: this.count === 0 ? 0 : this.sum / this.count,
      p50: quantile(recent, 0.5),
      p99: quantile(recent, 0.99),
      max: this.max,
    };
  }
}

/** Nearest-rank quantile of sorted samples; 0 when there are none. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
