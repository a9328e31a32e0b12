import { readdirSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isStoreWriteError } from '../../../src-core/errors';
import { PART_EVENTS } from '../../../src-core/emitter/writer-thread/thread-batch-writer';
import { harness, widget, type Harness } from './emitter-fixture';

let harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses) h.cleanup();
  harnesses = [];
});

function buffered(settings: Record<string, unknown>, options: Parameters<typeof harness>[1] = {}): Harness {
  const h = harness({ mode: 'buffered', flushIntervalMs: 60_000, ...settings }, options);
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

describe('a batch larger than one part', () => {
  const widgets = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => widget(`${prefix}-${i}`));

  it('crosses in parts and is written once, in emit order, in one transaction', async () => {
    const size = 2 * PART_EVENTS + 37;
    const h = buffered({ batchSize: size });
    const heard: { id: string; position: number }[] = [];
    h.emitter.onAll((e) => void heard.push({ id: e.event_id, position: e.position }));
    // Groups of 7 (emitBatch) straddle the parts' boundaries: a group is never split.
    const receipts = [...h.emitter.emitBatch(widgets('g', 7 * 20)), ...widgets('w', size - 140).map((w) => h.emitter.emit(w))];
    await waitFor(() => expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, flushes: 1, emittedTotal: size }));
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(heard.map((e) => e.id)).toEqual(receipts.map((r) => r.event_id));
    expect(heard.every((e, i) => e.position > (heard[i - 1]?.position ?? 0))).toBe(true);
  });

  it('is sent whole when the bot waits for it (flush) before its parts are all out', () => {
    const size = 2 * PART_EVENTS;
    const h = buffered({ batchSize: size });
    // Two batches' worth in one burst: the first is handed over at once, part by part.
    const receipts = widgets('w', 2 * size + 3).map((w) => h.emitter.emit(w));
    h.emitter.flush();
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, emittedTotal: receipts.length });
    expect(h.reports).toEqual([]);
  });

  it('stays queued whole when its write fails, and is written once when the store is free again', async () => {
    const size = 2 * PART_EVENTS + 1;
    const h = buffered({ batchSize: size }, { busyTimeoutMs: 1 });
    const lock = new Database(h.file);
    lock.exec('BEGIN IMMEDIATE');
    let receipts;
    try {
      receipts = widgets('w', size).map((w) => h.emitter.emit(w));
      await waitFor(() => expect(h.reports).toHaveLength(1));
      expect(isStoreWriteError(h.reports[0]!.error)).toBe(true);
      expect(h.emitter.metrics()).toMatchObject({ queueDepth: size, flushes: 0 });
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    receipts.push(h.emitter.emit(widget('after')));
    h.emitter.flush();
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
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

describe('the writer thread on Linux', () => {
  /** Nice value of each thread of this process, by thread id (field 19 of /proc/<pid>/task/<tid>/stat). */
  function niceByThread(): Map<number, number> {
    const nice = new Map<number, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
      } catch {
        // the thread ended meanwhile
      }
    }
    return nice;
  }

  it.runIf(process.platform === 'linux')('yields to the bot: it runs niced, and the bot thread keeps its priority', async () => {
    const h = buffered({ batchSize: 1 });
    const before = niceByThread();
    h.emitter.emit(widget('a')); // the first size flush starts the thread
    await waitFor(() => expect(h.committedRows()).toHaveLength(1));
    const after = niceByThread();
    expect(after.get(process.pid)).toBe(before.get(process.pid));
    const started = [...after].filter(([tid, nice]) => !before.has(tid) && nice > 0);
    expect(started.length).toBeGreaterThan(0);
  });
});
