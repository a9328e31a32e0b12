import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness, widget, type Harness } from './emitter-fixture';

let harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses) h.cleanup();
  harnesses = [];
});

function buffered(settings: Record<string, unknown>): Harness {
  const h = harness({ mode: 'buffered', flushIntervalMs: 60_000, ...settings });
  harnesses.push(h);
  return h;
}

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 5 });

describe('a size flush on the writer thread', () => {
  it('takes the whole burst of emits that reached batchSize, in one batch, in emit order', async () => {
    const h = buffered({ batchSize: 10 });
    const heard: string[] = [];
    h.emitter.onAll((e) => void heard.push(e.event_id));
    const receipts = Array.from({ length: 14 }, (_, i) => h.emitter.emit(widget(`w-${i}`)));
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 14, flushes: 0 });
    await waitFor(() => expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, flushes: 1, emittedTotal: 14 }));
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(heard).toEqual(receipts.map((r) => r.event_id));
  });
});

describe('an idempotent repeat written by the writer thread', () => {
  it('is counted but not told to listeners again', async () => {
    const h = buffered({ batchSize: 1 });
    const heard: string[] = [];
    h.emitter.onAll((e) => void heard.push(e.aggregate_id));
    const again = { ...widget('w-1'), event_id: '01940000-0000-7000-8000-0000000000bb' };
    h.emitter.emit(again);
    await waitFor(() => expect(heard).toEqual(['w-1']));
    h.emitter.emit(again); // same id, same content: the log already holds it
    h.emitter.emit(widget('w-2'));
    await waitFor(() => expect(h.emitter.metrics()).toMatchObject({ emittedTotal: 3, queueDepth: 0 }));
    expect(heard).toEqual(['w-1', 'w-2']);
    expect(h.committedRows()).toHaveLength(2);
    expect(h.reports).toEqual([]);
  });
});
