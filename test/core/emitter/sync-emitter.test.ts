import { afterEach, describe, expect, it } from 'vitest';
import { isClosedError, isConcurrencyError, isValidationError, type ValidationError } from '../../../src-core/errors';
import { harness, paint, T0, widget, type Harness } from './emitter-fixture';

let h: Harness;
afterEach(() => h?.cleanup());

describe('EventEmitter, sync mode', () => {
  it('is durable when emit returns: a second connection reads the row', () => {
    h = harness({ mode: 'sync' });
    const receipt = h.emitter.emit(widget('w-1'));
    const rows = h.committedRows();
    expect(rows.map((r) => r.event_id)).toEqual([receipt.event_id]);
    expect(receipt.stored?.sequence_number).toBe(1);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ widget_id: 'w-1', quantity: 1, side: 'left', color: 'grey' });
  });

  it('resolves id, time and metadata: UUIDv7 on the clock, registered version, default source', () => {
    h = harness({ mode: 'sync' });
    const receipt = h.emitter.emit(widget('w-1'));
    expect(receipt.created_at).toBe(T0);
    expect(receipt.event_id.replace(/-/g, '').slice(0, 12)).toBe(T0.toString(16).padStart(12, '0'));
    expect(receipt.event_id[14]).toBe('7');
    expect(receipt.metadata).toEqual({
      source: 'catalyst-events',
      correlation_id: null,
      causation_id: null,
      user_id: null,
      version: '2.0',
    });
    expect(JSON.parse(h.committedRows()[0]!.metadata)).toEqual(receipt.metadata);
  });

  it('keeps what the caller gave: ids, time, metadata and extra metadata keys', () => {
    h = harness({ mode: 'sync' });
    const id = '01940000-0000-7000-8000-00000000abcd';
    const receipt = h.emitter.emit({
      ...widget('w-1'),
      event_id: id,
      created_at: 1234,
      metadata: { source: 'bot', correlation_id: 'sig-9', causation_id: 'c-1', user_id: 'u', run_id: 'r-1' },
    });
    expect(receipt.stored).toMatchObject({ event_id: id, created_at: 1234 });
    expect(receipt.stored?.metadata).toEqual({
      source: 'bot',
      correlation_id: 'sig-9',
      causation_id: 'c-1',
      user_id: 'u',
      version: '2.0',
      run_id: 'r-1',
    });
  });

  it('writes nothing for an invalid event and names the paths', () => {
    h = harness({ mode: 'sync' });
    let caught: unknown;
    try {
      h.emitter.emit({ ...widget('w-1'), payload: { widget_id: 'w-1', quantity: 'many' } });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
    expect((caught as ValidationError).issues.map((i) => i.path).sort()).toEqual(['payload.quantity', 'payload.side']);
    expect(() => h.emitter.emit({ ...widget('w-1'), event_type: 'NOT_A_TYPE' })).toThrow(/event_type: unknown event type/);
    expect(() => h.emitter.emit({ ...widget('w-1'), metadata: 'nope' as never })).toThrow(/metadata: expected a JSON object/);
    expect(() => h.emitter.emit(null as never)).toThrow(/expected an event object/);
    expect(h.committedRows()).toHaveLength(0);
    expect(h.emitter.metrics().rejectedInvalid).toBe(4);
    expect(h.emitter.metrics().emittedTotal).toBe(0);
  });

  it('emitBatch is all or nothing, one transaction, chained inside a scope', () => {
    h = harness({ mode: 'sync' });
    expect(() => h.emitter.emitBatch([widget('a'), widget('b', { quantity: 0 })])).toThrow(/payload.quantity/);
    expect(h.committedRows()).toHaveLength(0);
    const receipts = h.causal.run(() => h.emitter.emitBatch([widget('a'), paint('a', 'red'), widget('b')]));
    expect(h.committedRows().map((r) => r.event_id)).toEqual(receipts.map((r) => r.event_id));
    expect(receipts.map((r) => r.metadata.causation_id)).toEqual([null, receipts[0]!.event_id, receipts[1]!.event_id]);
    expect(h.emitter.emitBatch([])).toEqual([]);
  });

  it('passes store errors to the caller and does not advance the chain', () => {
    h = harness({ mode: 'sync' });
    h.causal.run(() => {
      const first = h.emitter.emit(widget('w-1'));
      let caught: unknown;
      try {
        h.emitter.emit({ ...paint('w-1', 'red'), expected_version: 0 });
      } catch (error) {
        caught = error;
      }
      expect(isConcurrencyError(caught)).toBe(true);
      const next = h.emitter.emit({ ...paint('w-1', 'blue'), expected_version: 1 });
      expect(next.metadata.causation_id).toBe(first.event_id);
      expect(next.stored?.sequence_number).toBe(2);
    });
  });

  it('refuses to emit after close', () => {
    h = harness({ mode: 'sync' });
    h.emitter.close();
    h.emitter.close(); // idempotent
    let caught: unknown;
    try {
      h.emitter.emit(widget('w'));
    } catch (error) {
      caught = error;
    }
    expect(isClosedError(caught)).toBe(true);
  });
});

describe('causal chain', () => {
  it('shares a correlation id within a scope and chains causation ids across awaits', async () => {
    h = harness({ mode: 'sync' });
    const [a, b, c] = await h.causal.run(async () => {
      const a = h.emitter.emit(widget('w-1'));
      await new Promise((r) => setTimeout(r, 1));
      const b = h.emitter.emit(paint('w-1', 'red'));
      const c = await Promise.resolve().then(() => h.emitter.emit(paint('w-1', 'blue')));
      return [a, b, c];
    });
    const correlation = a.metadata.correlation_id;
    expect(correlation).toMatch(/^[0-9a-f-]{36}$/);
    expect([b.metadata.correlation_id, c.metadata.correlation_id]).toEqual([correlation, correlation]);
    expect([a.metadata.causation_id, b.metadata.causation_id, c.metadata.causation_id]).toEqual([null, a.event_id, b.event_id]);
    const stored = await h.store.readByCorrelation(correlation!);
    expect(stored.map((e) => e.event_id)).toEqual([a.event_id, b.event_id, c.event_id]);
  });

  it('links later work back to a chain with causationId, and separates chains', () => {
    h = harness({ mode: 'sync' });
    const order = h.causal.run(() => h.emitter.emit(widget('w-1')), { correlationId: 'sig-1' });
    const fill = h.causal.run(() => h.emitter.emit(paint('w-1', 'red')), {
      correlationId: 'sig-1',
      causationId: order.event_id,
    });
    const other = h.causal.run(() => h.emitter.emit(widget('w-2')));
    expect(fill.metadata).toMatchObject({ correlation_id: 'sig-1', causation_id: order.event_id });
    expect(other.metadata.correlation_id).not.toBe('sig-1');
    expect(other.metadata.causation_id).toBeNull();
  });

  it('an event with a caller-given correlation id does not move the scope chain', () => {
    h = harness({ mode: 'sync' });
    h.causal.run(() => {
      const a = h.emitter.emit(widget('w-1'));
      h.emitter.emit({ ...widget('x'), metadata: { correlation_id: 'elsewhere' } });
      const b = h.emitter.emit(paint('w-1', 'red'));
      expect(b.metadata.causation_id).toBe(a.event_id);
    });
  });

  it('events a listener emits are caused by the event it heard', () => {
    h = harness({ mode: 'sync' });
    h.emitter.on('WIDGET_CREATED', (event) => {
      h.emitter.emit(paint(event.aggregate_id, 'primer'));
    });
    const created = h.causal.run(() => h.emitter.emit(widget('w-1')), { correlationId: 'c-1' });
    const painted = h.committedRows()[1]!;
    expect(painted.event_type).toBe('WIDGET_PAINTED');
    expect(JSON.parse(painted.metadata)).toMatchObject({ correlation_id: 'c-1', causation_id: created.event_id });
  });
});

describe('listeners', () => {
  it('notifies typed listeners then catch-all ones, after commit; unsubscribe works', () => {
    h = harness({ mode: 'sync' });
    const calls: string[] = [];
    const off = h.emitter.on('WIDGET_CREATED', (e) => {
      calls.push(`typed:${e.event_type}:${h.committedRows().length}`);
    });
    h.emitter.onAll((e) => {
      calls.push(`all:${e.event_type}`);
    });
    h.emitter.emit(widget('w-1'));
    h.emitter.emit(paint('w-1', 'red'));
    off();
    h.emitter.emit(widget('w-2'));
    expect(calls).toEqual(['typed:WIDGET_CREATED:1', 'all:WIDGET_CREATED', 'all:WIDGET_PAINTED', 'all:WIDGET_CREATED']);
  });

  it('a throwing, a rejecting and a hanging listener never reach the caller', async () => {
    h = harness({ mode: 'sync' });
    h.emitter.on('WIDGET_CREATED', () => {
      throw new Error('sync boom');
    });
    h.emitter.on('WIDGET_CREATED', () => Promise.reject(new Error('async boom')));
    h.emitter.onAll(() => new Promise<void>(() => {})); // never settles
    const heard: string[] = [];
    h.emitter.onAll((e) => {
      heard.push(e.event_id);
    });
    const a = h.emitter.emit(widget('w-1'));
    const b = h.emitter.emit(widget('w-2'));
    expect(heard).toEqual([a.event_id, b.event_id]);
    await new Promise((r) => setImmediate(r));
    expect(h.reports.map((r) => (r.error as Error).message).sort()).toEqual(['async boom', 'async boom', 'sync boom', 'sync boom']);
    expect(h.reports[0]!.context).toMatchObject({ where: 'emitter.listener', event_type: 'WIDGET_CREATED' });
    expect(h.emitter.metrics().listenerErrors).toBe(4);
    expect(h.committedRows()).toHaveLength(2);
  });

  it('a reporter that throws does not break emit', () => {
    h = harness({ mode: 'sync' });
    h.reports.push = () => {
      throw new Error('reporter down');
    };
    h.emitter.on('WIDGET_CREATED', () => {
      throw new Error('listener down');
    });
    expect(() => h.emitter.emit(widget('w-1'))).not.toThrow();
    expect(h.emitter.metrics().listenerErrors).toBe(1);
  });
});

describe('metrics', () => {
  it('counts emitted by type, rejections and append latency', () => {
    h = harness({ mode: 'sync' });
    h.emitter.emit(widget('a'));
    h.emitter.emit(widget('b'));
    h.emitter.emit(paint('a', 'red'));
    h.emitter.emitBatch([paint('b', 'x'), paint('b', 'y')]);
    expect(() => h.emitter.emit(widget('c', { side: 'up' }))).toThrow();
    const m = h.emitter.metrics();
    expect(m).toMatchObject({
      mode: 'sync',
      emittedByType: { WIDGET_CREATED: 2, WIDGET_PAINTED: 3 },
      emittedTotal: 5,
      rejectedInvalid: 1,
      queueDepth: 0,
      queueCapacity: 0,
      flushes: 0,
    });
    expect(m.appendLatencyMs.count).toBe(4); // one per store call
    expect(m.appendLatencyMs.max).toBeGreaterThanOrEqual(m.appendLatencyMs.p50);
    expect(m.appendLatencyMs.max).toBeGreaterThan(0);
  });
});
