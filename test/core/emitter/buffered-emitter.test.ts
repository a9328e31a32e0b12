import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isQueueFullError, isStoreWriteError, isValidationError, StoreWriteError } from '../../../src-core/errors';
import { harness, paint, widget, type Harness } from './emitter-fixture';
import { prepareEvent } from '../../../src-core/emitter/prepare';

let harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses) h.cleanup();
  harnesses = [];
});

function buffered(settings: Record<string, unknown> = {}, options: Parameters<typeof harness>[1] = {}): Harness {
  const h = harness({ mode: 'buffered', batchSize: 100, flushIntervalMs: 60_000, ...settings }, options);
  harnesses.push(h);
  return h;
}

/** Another process-like writer holding the write lock, so the store's appends fail with SQLITE_BUSY. */
function holdWriteLock(file: string): () => void {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('EventEmitter, buffered mode', () => {
  it('writes nothing before a flush and everything on close, in emit order', () => {
    const h = buffered();
    const receipts = [h.emitter.emit(widget('a')), h.emitter.emit(paint('a', 'red')), h.emitter.emit(widget('b'))];
    expect(receipts.every((r) => r.stored === undefined)).toBe(true);
    expect(h.committedRows()).toHaveLength(0);
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 3, queueCapacity: 10_000, emittedTotal: 0 });
    h.emitter.close();
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, flushes: 1, emittedTotal: 3 });
  });

  it('flushes when the queue reaches batchSize (on the writer thread)', async () => {
    const h = buffered({ batchSize: 3 });
    h.emitter.emit(widget('a'));
    h.emitter.emit(widget('b'));
    expect(h.committedRows()).toHaveLength(0);
    h.emitter.emitBatch([widget('c'), widget('d')]);
    await vi.waitFor(() => expect(h.committedRows()).toHaveLength(4), { timeout: 10_000, interval: 5 });
    await vi.waitFor(() => expect(h.emitter.metrics()).toMatchObject({ flushes: 1, queueDepth: 0, emittedTotal: 4 }), {
      timeout: 10_000,
      interval: 5,
    });
  });

  it('writes size flushes on the writer thread: emit returns while the file is locked, and the batch lands once it is free', async () => {
    // A write in the bot's thread would wait out the lock (busy_timeout) inside emit and report a failure.
    const h = buffered({ batchSize: 3 }, { busyTimeoutMs: 60_000 });
    const heard: { sequence: number; position: number }[] = [];
    h.emitter.onAll((e) => void heard.push({ sequence: e.sequence_number, position: e.position }));
    const release = holdWriteLock(h.file);
    let receipts;
    try {
      receipts = h.emitter.emitBatch([widget('a'), paint('a', 'red'), widget('b')]);
      expect(h.committedRows()).toHaveLength(0);
      expect(h.emitter.metrics()).toMatchObject({ queueDepth: 3, flushes: 0 });
      expect(heard).toEqual([]); // listeners wait for the commit
    } finally {
      release();
    }
    await vi.waitFor(() => expect(heard).toHaveLength(3), { timeout: 10_000, interval: 5 });
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(heard.map((e) => e.sequence)).toEqual([1, 2, 1]);
    expect(heard.every((e, i) => e.position > (heard[i - 1]?.position ?? 0))).toBe(true);
    expect(h.reports).toEqual([]);
  });

  it('flushes on its interval', async () => {
    const h = buffered({ flushIntervalMs: 5 });
    h.emitter.emit(widget('a'));
    await vi.waitFor(() => expect(h.committedRows()).toHaveLength(1), { timeout: 5000, interval: 5 });
  });

  it('notifies listeners after the flush commits, with the stored event', () => {
    const h = buffered();
    const heard: number[] = [];
    h.emitter.onAll((e) => {
      heard.push(e.sequence_number);
    });
    h.emitter.emit(widget('a'));
    h.emitter.emit(paint('a', 'red'));
    expect(heard).toEqual([]);
    h.emitter.flush();
    expect(heard).toEqual([1, 2]);
  });

  it('chains causation ids at emit time, before anything is written', () => {
    const h = buffered();
    const [a, b] = h.causal.run(() => [h.emitter.emit(widget('a')), h.emitter.emit(paint('a', 'red'))]);
    expect(b.metadata.causation_id).toBe(a.event_id);
    h.emitter.flush();
    expect((JSON.parse(h.committedRows()[1]!.metadata) as { causation_id: string | null }).causation_id).toBe(a.event_id);
  });

  it('refuses expected_version (optimistic concurrency needs sync mode) and invalid events; queues nothing', () => {
    const h = buffered();
    const error = thrown(() => h.emitter.emit({ ...widget('a'), expected_version: 0 }));
    expect(isValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/expected_version: .*sync/);
    expect(() => h.emitter.emitBatch([widget('a'), widget('b', { quantity: -1 })])).toThrow(/payload.quantity/);
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, rejectedInvalid: 2 });
  });

  it('applies backpressure: a full queue is flushed synchronously before the new event is queued', () => {
    const h = buffered({ queueCapacity: 2 });
    h.emitter.emit(widget('a'));
    h.emitter.emit(widget('b'));
    h.emitter.emit(widget('c'));
    expect(h.committedRows()).toHaveLength(2);
    expect(h.emitter.metrics().queueDepth).toBe(1);
  });

  it('keeps the queue when a flush fails, reports it, flush() rethrows, and nothing is lost once the store recovers', async () => {
    const h = buffered({ batchSize: 2 }, { busyTimeoutMs: 1 });
    h.emitter.emit(widget('a'));
    const release = holdWriteLock(h.file);
    try {
      h.emitter.emit(widget('b')); // size flush fails on the writer thread: reported, not thrown
      await vi.waitFor(() => expect(h.reports).toHaveLength(1), { timeout: 10_000, interval: 5 });
      expect(h.reports[0]!.context).toMatchObject({ where: 'emitter.flush', reason: 'size', queued: 2 });
      // The error crossed the thread boundary as what it is.
      expect(h.reports[0]!.error).toBeInstanceOf(StoreWriteError);
      expect(h.reports[0]!.error).toMatchObject({ code: 'STORE_WRITE', sqliteCode: 'SQLITE_BUSY' });
      expect(isStoreWriteError(thrown(() => h.emitter.flush()))).toBe(true);
      expect(h.committedRows()).toHaveLength(0);
      expect(h.emitter.metrics()).toMatchObject({ queueDepth: 2, flushFailures: 2, flushes: 0 });
    } finally {
      release();
    }
    h.emitter.close();
    expect(h.committedRows()).toHaveLength(2);
  });

  it('fails loudly with QueueFullError when the queue is full and the flush fails', () => {
    const h = buffered({ queueCapacity: 2 }, { busyTimeoutMs: 1 });
    h.emitter.emit(widget('a'));
    h.emitter.emit(widget('b'));
    const release = holdWriteLock(h.file);
    let error: unknown;
    try {
      error = thrown(() => h.emitter.emit(widget('c')));
    } finally {
      release();
    }
    expect(isQueueFullError(error)).toBe(true);
    expect(isStoreWriteError((error as Error).cause)).toBe(true);
    expect(h.emitter.metrics().queueDepth).toBe(2);
    expect(isQueueFullError(thrown(() => h.emitter.emitBatch([widget('x'), widget('y'), widget('z')])))).toBe(true);
    h.emitter.close();
    expect(h.committedRows()).toHaveLength(2);
  });

  it('close() rethrows a failed final flush and keeps the events for a retry', () => {
    const h = buffered({}, { busyTimeoutMs: 1 });
    h.emitter.emit(widget('a'));
    const release = holdWriteLock(h.file);
    try {
      expect(isStoreWriteError(thrown(() => h.emitter.close()))).toBe(true);
    } finally {
      release();
    }
    expect(h.emitter.metrics().queueDepth).toBe(1);
    h.emitter.close();
    expect(h.committedRows()).toHaveLength(1);
    expect(() => h.emitter.emit(widget('b'))).toThrow(/closed/);
  });

  it('sets aside (and reports) an emit whose id the log holds with other content, and writes the rest', () => {
    const h = buffered();
    const id = '01940000-0000-7000-8000-0000000000aa';
    h.store.append(prepareEvent({ ...widget('w-1'), event_id: id, payload: { widget_id: 'w-1', quantity: 1, side: 'left' } }));
    h.emitter.emit(widget('a'));
    h.emitter.emit({ ...widget('w-1', { quantity: 99 }), event_id: id });
    h.emitter.emit(widget('b'));
    h.emitter.flush();
    const rows = h.committedRows();
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.event_id === id).map((r) => (JSON.parse(r.payload) as { quantity: number }).quantity)).toEqual([1]);
    expect(h.reports).toHaveLength(1);
    expect(h.reports[0]!.context).toMatchObject({ where: 'emitter.flush', discarded: [id] });
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, emittedTotal: 2 });
  });

  it('installs shutdown handlers only when buffered with handleSignals, and removes them on close', () => {
    const count = () => ['SIGINT', 'SIGTERM', 'beforeExit'].map((s) => process.listenerCount(s));
    const before = count();
    const many = Array.from({ length: 8 }, () => buffered());
    harnesses.push(harness({ mode: 'sync' }));
    buffered({ handleSignals: false });
    expect(count()).toEqual(before.map((n) => n + 8));
    for (const h of many) h.emitter.close();
    expect(count()).toEqual(before);
  });
});

describe('buffered payload isolation', () => {
  it('writes the payload as it was at emit, even if the bot mutates its object before the flush', () => {
    const h = buffered();
    const state = { widget_id: 'a', quantity: 1, side: 'left', book: { levels: [1, 2] } };
    const receipt = h.emitter.emit({ ...widget('a'), payload: state, metadata: { source: 'bot' } });
    state.quantity = 50;
    state.book.levels.push(3);
    receipt.metadata.source = 'tampered';
    h.emitter.flush();
    const row = h.committedRows()[0]!;
    expect(JSON.parse(row.payload)).toMatchObject({ quantity: 1, book: { levels: [1, 2] } });
    expect((JSON.parse(row.metadata) as { source: string }).source).toBe('bot');
  });
});
