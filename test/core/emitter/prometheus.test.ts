import { describe, expect, it } from 'vitest';
import { LatencyReservoir } from '../../../src-core/emitter/latency-reservoir';
import { renderPrometheus } from '../../../src-core/emitter/prometheus';
import type { EmitterMetrics } from '../../../src-core/emitter/types';

const metrics: EmitterMetrics = {
  mode: 'buffered',
  emittedByType: { WIDGET_PAINTED: 3, WIDGET_CREATED: 5 },
  emittedTotal: 8,
  rejectedInvalid: 2,
  listenerErrors: 1,
  queueDepth: 4,
  queueCapacity: 100,
  flushes: 6,
  flushFailures: 1,
  appendLatencyMs: { count: 10, mean: 2, p50: 1.5, p99: 9, max: 12 },
};

describe('renderPrometheus', () => {
  const text = renderPrometheus(metrics);
  const lines = text.trimEnd().split('\n');

  it('writes one HELP and TYPE per family and a sample per value', () => {
    expect(lines).toContain('# TYPE catalyst_events_emitted_total counter');
    expect(lines).toContain('catalyst_events_emitted_total{event_type="WIDGET_CREATED"} 5');
    expect(lines).toContain('catalyst_events_emitted_total{event_type="WIDGET_PAINTED"} 3');
    expect(lines).toContain('catalyst_events_rejected_total 2');
    expect(lines).toContain('catalyst_events_listener_errors_total 1');
    expect(lines).toContain('catalyst_events_queue_depth 4');
    expect(lines).toContain('catalyst_events_queue_capacity 100');
    expect(lines).toContain('catalyst_events_flushes_total 6');
    expect(lines).toContain('catalyst_events_flush_failures_total 1');
    const types = lines.filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
  });

  it('exports append latency as a summary in seconds', () => {
    expect(lines).toContain('# TYPE catalyst_events_append_latency_seconds summary');
    expect(lines).toContain('catalyst_events_append_latency_seconds{quantile="0.5"} 0.0015');
    expect(lines).toContain('catalyst_events_append_latency_seconds{quantile="0.99"} 0.009');
    expect(lines).toContain('catalyst_events_append_latency_seconds_sum 0.02');
    expect(lines).toContain('catalyst_events_append_latency_seconds_count 10');
    expect(lines).toContain('catalyst_events_append_latency_seconds_max 0.012');
  });

  it('every sample line is name{labels} value', () => {
    for (const line of lines.filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+$/);
    }
  });

  it('takes a prefix and constant labels, escaping label values', () => {
    const custom = renderPrometheus(metrics, { prefix: 'bot', labels: { name: 'pa"per\\bot\n1' } });
    expect(custom).toContain('bot_rejected_total{name="pa\\"per\\\\bot\\n1"} 2');
    expect(custom).toContain('bot_emitted_total{name="pa\\"per\\\\bot\\n1",event_type="WIDGET_CREATED"} 5');
  });
});

describe('LatencyReservoir', () => {
  it('keeps life-long count, mean and max, and percentiles over the recent window', () => {
    const r = new LatencyReservoir(1024);
    for (let i = 1; i <= 2000; i++) r.record(i);
    // The window holds 977..2000.
    expect(r.summary()).toEqual({ count: 2000, mean: 1000.5, p50: 1488, p99: 1990, max: 2000 });
  });

  it('is all zeros when empty', () => {
    expect(new LatencyReservoir().summary()).toEqual({ count: 0, mean: 0, p50: 0, p99: 0, max: 0 });
  });
});
