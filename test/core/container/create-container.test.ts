import 'reflect-metadata';
import { container as globalContainer } from 'tsyringe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../../src-core/clock/clock';
import { createContainer } from '../../../src-core/container/create-container';
import { ReadOnlyEmitter } from '../../../src-core/container/read-only-emitter';
import { StderrErrorReporter } from '../../../src-core/errors/reporter';
import { TOKENS } from '../../../src-core/container/tokens';
import { AsyncCausalContext } from '../../../src-core/causality/async-causal-context';
import { EventEmitter } from '../../../src-core/emitter/event-emitter';
import { isConfigError, isReadOnlyStoreError, isStoreOpenError } from '../../../src-core/errors';
import { UuidV7Generator } from '../../../src-core/events/ids';
import { DefaultHookRegistry } from '../../../src-core/hooks/hook-registry';
import { PluginLoader } from '../../../src-core/plugins/plugin-loader';
import { Rebuilder } from '../../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { RecordingReporter } from '../hooks/fixtures';
import { z } from 'zod';
import type { Emitter } from '../../../src-core/emitter/types';

let tmp: ReturnType<typeof tempDir>;
const opened: { close(): void }[] = [];
beforeEach(() => {
  tmp = tempDir('catalyst-container-');
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  tmp.cleanup();
});

function make(options: Parameters<typeof createContainer>[1] = {}, config: Parameters<typeof createContainer>[0] = {}) {
  const c = createContainer({ db: tmp.file('events.db'), ...config }, options);
  opened.push(c.resolve<SqliteEventStore>(TOKENS.Store));
  return c;
}

describe('createContainer', () => {
  it('wires every core token to its implementation, as singletons', () => {
    const c = make();
    const expected: [symbol, unknown][] = [
      [TOKENS.Clock, SystemClock],
      [TOKENS.IdGenerator, UuidV7Generator],
      [TOKENS.ErrorReporter, StderrErrorReporter],
      [TOKENS.Store, SqliteEventStore],
      [TOKENS.SchemaRegistry, SchemaRegistry],
      [TOKENS.ReducerRegistry, ReducerRegistry],
      [TOKENS.CausalContext, AsyncCausalContext],
      [TOKENS.Emitter, EventEmitter],
      [TOKENS.HookRegistry, DefaultHookRegistry],
      [TOKENS.Rebuilder, Rebuilder],
      [TOKENS.PluginLoader, PluginLoader],
    ];
    for (const [token, type] of expected) {
      const first = c.resolve(token);
      expect(first, token.toString()).toBeInstanceOf(type as new () => unknown);
      expect(c.resolve(token), token.toString()).toBe(first);
    }
    const store = c.resolve(TOKENS.Store);
    expect(c.resolve(TOKENS.EventReader)).toBe(store);
    expect(c.resolve(TOKENS.SnapshotStore)).toBe(store);
    expect(c.resolve<{ db: string; emitter: { mode: string } }>(TOKENS.Config)).toMatchObject({
      db: tmp.file('events.db'),
      emitter: { mode: 'sync' },
    });
    expect((store as SqliteEventStore).file).toBe(tmp.file('events.db'));
  });

  it('never registers into the global tsyringe container', () => {
    make();
    for (const token of Object.values(TOKENS)) expect(globalContainer.isRegistered(token, true)).toBe(false);
  });

  it('uses the given clock and reporter; events carry the clock time', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const reporter = new RecordingReporter();
    const c = make({ clock, reporter });
    expect(c.resolve(TOKENS.Clock)).toBe(clock);
    expect(c.resolve(TOKENS.ErrorReporter)).toBe(reporter);
    c.resolve<SchemaRegistry>(TOKENS.SchemaRegistry).register({
      eventType: 'X',
      aggregateType: 'x',
      version: '1.0',
      payload: z.object({}),
    });
    const receipt = c.resolve<Emitter>(TOKENS.Emitter).emit({ event_type: 'X', aggregate_type: 'x', aggregate_id: '1', payload: {} });
    expect(receipt.stored?.created_at).toBe(1_700_000_000_000);
  });

  it('uses a given store as is', () => {
    const store = SqliteEventStore.open({ file: tmp.file('mine.db') });
    opened.push(store);
    const c = createContainer({ db: tmp.file('unused.db') }, { store });
    expect(c.resolve(TOKENS.Store)).toBe(store);
    expect(c.resolve(TOKENS.EventReader)).toBe(store);
  });

  it('creates the database folder for a writer', () => {
    const c = make({}, { db: tmp.file('nested/deeper/events.db') });
    expect(c.resolve<SqliteEventStore>(TOKENS.Store).file).toBe(tmp.file('nested/deeper/events.db'));
  });

  it('read-only: the store is opened read-only and the emitter refuses writes', () => {
    make().resolve(TOKENS.Store); // creates the file
    opened.splice(0).forEach((s) => s.close());
    const c = make({ readOnly: true });
    const store = c.resolve<SqliteEventStore>(TOKENS.Store);
    expect(store.readOnly).toBe(true);
    const emitter = c.resolve<ReadOnlyEmitter>(TOKENS.Emitter);
    expect(emitter).toBeInstanceOf(ReadOnlyEmitter);
    let thrown: unknown;
    try {
      emitter.emit();
    } catch (error) {
      thrown = error;
    }
    expect(isReadOnlyStoreError(thrown)).toBe(true);
  });

  it('read-only on a missing file fails with StoreOpenError', () => {
    let thrown: unknown;
    try {
      createContainer({ db: tmp.file('missing.db') }, { readOnly: true });
    } catch (error) {
      thrown = error;
    }
    expect(isStoreOpenError(thrown)).toBe(true);
  });

  it('refuses an invalid config with ConfigError', () => {
    let thrown: unknown;
    try {
      createContainer({ db: tmp.file('x.db'), durability: 'sometimes' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    expect((thrown as Error).message).toContain('durability');
  });

  it('two containers share no instance', () => {
    const a = make({}, { db: tmp.file('a.db') });
    const b = make({}, { db: tmp.file('b.db') });
    for (const token of [
      TOKENS.Store,
      TOKENS.Emitter,
      TOKENS.HookRegistry,
      TOKENS.SchemaRegistry,
      TOKENS.CausalContext,
      TOKENS.PluginLoader,
    ]) {
      expect(a.resolve(token)).not.toBe(b.resolve(token));
    }
  });
});

describe('StderrErrorReporter', () => {
  it('writes one line naming where, the error and the context', () => {
    const lines: string[] = [];
    new StderrErrorReporter((line) => lines.push(line)).report(new TypeError('bad\nthing'), {
      where: 'hook order.submit (after)',
      point: 'order.submit',
      attempt: 2,
    });
    expect(lines).toEqual(['[catalyst-events] hook order.submit (after): TypeError: bad thing (point=order.submit attempt=2)\n']);
  });
});
