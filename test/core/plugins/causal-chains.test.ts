/**
 * PluginContext.chains: continuing an aggregate's causal chain from a later, separate call,
 * in this process and after a restart (a new catalyst on the same file).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCatalyst, ManualClock, type Catalyst, type CatalystPlugin, type NewEvent, type PluginContext } from '../../../src-core';
import { ChainRegistry } from '../../../src-core/causality/chain-registry';
import { tempDir } from '../../support/temp';

function chainPlugin(): CatalystPlugin & { ctx?: PluginContext } {
  const plugin: CatalystPlugin & { ctx?: PluginContext } = {
    name: 'things',
    version: '1.0.0',
    coreApi: '^1.0.0',
    register(ctx) {
      plugin.ctx = ctx;
      for (const [eventType, aggregateType] of [
        ['THING_HAPPENED', 'thing'],
        ['OTHER_HAPPENED', 'other'],
      ] as const) {
        ctx.schemas.register({ eventType, aggregateType, version: '1.0', payload: z.looseObject({}) });
      }
    },
  };
  return plugin;
}

const thing = (id: string, payload: Record<string, unknown> = {}): NewEvent => ({
  event_type: 'THING_HAPPENED',
  aggregate_type: 'thing',
  aggregate_id: id,
  payload,
});
const other = (id: string): NewEvent => ({ event_type: 'OTHER_HAPPENED', aggregate_type: 'other', aggregate_id: id, payload: {} });

describe('PluginContext.chains', () => {
  const tmp = tempDir('chains-');
  const open: Catalyst[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  afterAll(() => tmp.cleanup());

  const start = async (file: string, mode: 'sync' | 'buffered' = 'sync') => {
    const plugin = chainPlugin();
    const catalyst = await createCatalyst(
      { db: tmp.file(file), emitter: { mode, handleSignals: false, flushIntervalMs: 60_000 } },
      { plugins: [plugin], clock: new ManualClock(1_000) },
    );
    open.push(catalyst);
    // The bot's own emit in a call chain of its own (an event outside any chain has no correlation id to continue).
    const emit = (event: NewEvent) => catalyst.causal.run(() => catalyst.emitter.emit(event));
    return { catalyst, emit, chains: plugin.ctx!.chains, ctx: plugin.ctx! };
  };

  it('a later call continues the most recently moved chain among the refs; inside a chain it joins that one', async () => {
    const { catalyst, chains, emit } = await start('a.db');
    const first = emit(thing('t1')); // not through chains: they see every committed event
    const unrelated = emit(other('x1'));
    const next = chains.emit(thing('t1', { n: 2 }), [chains.ref('thing', 't1'), null, chains.ref('other', null)]);
    expect(next.metadata.correlation_id).toBe(first.metadata.correlation_id);
    expect(next.metadata.causation_id).toBe(first.event_id);
    // x1 moved after t1, but t1 has moved since: t1's chain is the most recent.
    const both = chains.emit(other('x2'), [chains.ref('other', 'x1'), chains.ref('thing', 't1')]);
    expect(both.metadata.causation_id).toBe(next.event_id);
    expect(both.metadata.correlation_id).not.toBe(unrelated.metadata.correlation_id);
    expect(chains.find([chains.ref('other', 'x1')])).toEqual({
      correlationId: unrelated.metadata.correlation_id,
      lastEventId: unrelated.event_id,
    });
    expect(chains.find([null, chains.ref('thing', 'never')])).toBeUndefined();

    // Inside a chain that has emitted, the refs do not pull the event elsewhere.
    const joined = catalyst.causal.run(() => {
      const opener = catalyst.emitter.emit(other('x3'));
      const inner = chains.emit(thing('t1'), [chains.ref('thing', 't1')]);
      return { opener, inner };
    });
    expect(joined.inner.metadata.correlation_id).toBe(joined.opener.metadata.correlation_id);
    expect(joined.inner.metadata.causation_id).toBe(joined.opener.event_id);
    // run(): work that does not emit through chains.emit continues the chain too.
    const viaRun = chains.run([chains.ref('thing', 't1')], () => catalyst.emitter.emit(other('x4')));
    expect(viaRun.metadata.causation_id).toBe(joined.inner.event_id);
  });

  it('after a restart, a chain is read from the log: live moves beat it, log entries compare by position', async () => {
    const before = await start('b.db');
    const t1 = before.emit(thing('t1'));
    const x1 = before.emit(other('x1'));
    await before.catalyst.close();
    open.length = 0;

    const after = await start('b.db');
    const { chains, catalyst } = after;
    expect(chains.find([chains.ref('thing', 't1')])).toEqual({ correlationId: t1.metadata.correlation_id, lastEventId: t1.event_id });
    // Both from the log: x1 was written after t1.
    expect(chains.find([chains.ref('thing', 't1'), chains.ref('other', 'x1')])?.lastEventId).toBe(x1.event_id);
    const continued = chains.emit(thing('t1'), [chains.ref('thing', 't1')]);
    expect(continued.metadata).toMatchObject({ correlation_id: t1.metadata.correlation_id, causation_id: t1.event_id });
    // t1 moved in this process: it now beats x1, which is only known from the log.
    expect(chains.find([chains.ref('other', 'x1'), chains.ref('thing', 't1')])?.lastEventId).toBe(continued.event_id);
    expect((await catalyst.store.readAggregate('thing', 't1')).map((e) => e.sequence_number)).toEqual([1, 2]);
  });

  it('an evicted chain is read back from the log; a miss is forgotten once the aggregate moves', async () => {
    const { catalyst, ctx, emit } = await start('c.db');
    const small = new ChainRegistry(catalyst.causal, (type, id) => ctx.history.last(type, id), 1);
    catalyst.emitter.onAccepted((event) => small.observe(event));
    const t1 = emit(thing('t1'));
    emit(thing('t2')); // evicts t1
    expect(small.size).toBe(1);
    expect(small.find([small.ref('thing', 't1')])?.lastEventId).toBe(t1.event_id);
    // Looked up before it existed, then written: the miss is not remembered past the write.
    expect(small.find([small.ref('thing', 't9')])).toBeUndefined();
    const t9 = emit(thing('t9'));
    expect(small.find([small.ref('thing', 't9')])?.lastEventId).toBe(t9.event_id);
    // An event outside any call chain has no correlation id: there is no chain to continue.
    catalyst.emitter.emit(thing('t3'));
    expect(small.find([small.ref('thing', 't3')])).toBeUndefined();
  });

  for (const mode of ['sync', 'buffered'] as const) {
    it(`${mode} mode: the registry observes each event once, chains.emit or not`, async () => {
      const { catalyst, chains, emit } = await start(`once-${mode}.db`, mode);
      const seen: string[] = [];
      // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to restore the prototype and called with .call(this)
      const observe = ChainRegistry.prototype.observe;
      ChainRegistry.prototype.observe = function (this: ChainRegistry, event) {
        seen.push(event.event_id);
        return observe.call(this, event);
      };
      try {
        const a = catalyst.causal.run(() => chains.emit(thing('t1'), []));
        const b = emit(thing('t2'));
        catalyst.emitter.flush();
        expect(seen).toEqual([a.event_id, b.event_id]);
      } finally {
        ChainRegistry.prototype.observe = observe;
      }
    });
  }

  it('buffered mode: an emit is followed before it commits', async () => {
    const { catalyst, chains } = await start('d.db', 'buffered');
    const first = catalyst.causal.run(() => chains.emit(thing('t1'), []));
    expect(first.stored).toBeUndefined(); // still queued
    const second = catalyst.causal.run(() => chains.emit(thing('t1'), [chains.ref('thing', 't1')]));
    expect(second.metadata.causation_id).toBe(first.event_id);
    expect(second.metadata.correlation_id).toBe(first.metadata.correlation_id);
    catalyst.emitter.flush();
    expect((await catalyst.store.readAggregate('thing', 't1')).map((e) => e.event_id)).toEqual([first.event_id, second.event_id]);
  });
});
