import type { EmitterMetrics } from './types';

/** Options of {@link renderPrometheus}. */
export interface PrometheusOptions {
  /** Metric name prefix; default `catalyst_events`. */
  prefix?: string;
  /** Constant labels on every sample, e.g. `{ bot: 'paper' }`. */
  labels?: Readonly<Record<string, string>>;
}

/**
 * The emitter's metrics in the Prometheus text exposition format (version 0.0.4), for a
 * bot's `/metrics` endpoint. Latency is exported in seconds, as Prometheus names it.
 */
export function renderPrometheus(metrics: EmitterMetrics, options: PrometheusOptions = {}): string {
  const prefix = options.prefix ?? 'catalyst_events';
  const constant = Object.entries(options.labels ?? {});
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => {
    lines.push(`# HELP ${prefix}_${name} ${help}`, `# TYPE ${prefix}_${name} ${type}`);
  };
  const sample = (name: string, value: number, labels: [string, string][] = []) => {
    const all = [...constant, ...labels];
    const text = all.length ? `{${all.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
    lines.push(`${prefix}_${name}${text} ${formatNumber(value)}`);
  };

  family('emitted_total', 'counter', 'Events committed to the store, by event type.');
  for (const [type, count] of Object.entries(metrics.emittedByType).sort(([a], [b]) => a.localeCompare(b))) {
    sample('emitted_total', count, [['event_type', type]]);
  }
  family('rejected_total', 'counter', 'Events rejected by validation (nothing written).');
  sample('rejected_total', metrics.rejectedInvalid);
  family('listener_errors_total', 'counter', 'Listeners that threw or rejected.');
  sample('listener_errors_total', metrics.listenerErrors);
  family('queue_depth', 'gauge', 'Events queued and not yet written (buffered mode).');
  sample('queue_depth', metrics.queueDepth);
  family('queue_capacity', 'gauge', 'Bound of the queue (buffered mode).');
  sample('queue_capacity', metrics.queueCapacity);
  family('flushes_total', 'counter', 'Successful flushes of the queue.');
  sample('flushes_total', metrics.flushes);
  family('flush_failures_total', 'counter', 'Flushes the store refused (events stay queued).');
  sample('flush_failures_total', metrics.flushFailures);

  const latency = metrics.appendLatencyMs;
  family('append_latency_seconds', 'summary', 'Store append time (recent samples for quantiles).');
  sample('append_latency_seconds', latency.p50 / 1000, [['quantile', '0.5']]);
  sample('append_latency_seconds', latency.p99 / 1000, [['quantile', '0.99']]);
  sample('append_latency_seconds_sum', (latency.mean * latency.count) / 1000);
  sample('append_latency_seconds_count', latency.count);
  family('append_latency_seconds_max', 'gauge', 'Slowest store append since start.');
  sample('append_latency_seconds_max', latency.max / 1000);
  return lines.join('\n') + '\n';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
