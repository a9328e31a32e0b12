import 'reflect-metadata'; // tsyringe needs it even when this module is imported directly
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { container as globalContainer, type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { type Clock, SystemClock } from '../clock/clock';
import { type CatalystConfig, type CatalystConfigInput, isParsedConfig, parseConfig } from '../config/config';
import { AsyncCausalContext } from '../causality/async-causal-context';
import { EventEmitter } from '../emitter/event-emitter';
import { UuidV7Generator } from '../events/ids';
import { DefaultHookRegistry } from '../hooks/hook-registry';
import { PluginLoader } from '../plugins/plugin-loader';
import { Rebuilder } from '../rebuild/rebuilder';
import { ReducerRegistry } from '../rebuild/reducer-registry';
import { SchemaRegistry } from '../schema/schema-registry';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import { type CatalystStore, readOnlyStore } from './read-only-store';
import { ReadOnlyEmitter } from './read-only-emitter';
import { type ErrorReporter, StderrErrorReporter } from '../errors/reporter';
import { TOKENS } from './tokens';

export type { CatalystStore };

/** What a container is built with besides the config; each field has a default. */
export interface CreateContainerOptions {
  /** Where event times come from (default: the system clock; a simulation passes a {@link ManualClock}). */
  clock?: Clock;
  /** Where contained failures (listeners, hook handlers) go (default: {@link StderrErrorReporter}). */
  reporter?: ErrorReporter;
  /** Use this store instead of opening config.db (the caller keeps ownership of it). */
  store?: CatalystStore;
  /** Open config.db read-only; the emitter refuses writes. For the CLI and the viewer. */
  readOnly?: boolean;
}

/**
 * One catalyst's container: a child of a private root, never tsyringe's global container,
 * so two catalysts in one process share nothing. Everything is a singleton within it.
 * Opens the store now (unless one is given); whoever created the container closes it.
 */
export function createContainer(config: CatalystConfig | CatalystConfigInput, options: CreateContainerOptions = {}): DependencyContainer {
  const parsed = toConfig(config);
  const readOnly = options.readOnly ?? false;
  const clock = options.clock ?? new SystemClock();
  const ids = new UuidV7Generator();
  const store = options.store ?? openStore(parsed, { readOnly, clock, ids });

  const child = freshRoot().createChildContainer();
  child.registerInstance(TOKENS.Config, parsed);
  child.registerInstance(TOKENS.Clock, clock);
  child.registerInstance(TOKENS.IdGenerator, ids);
  child.registerInstance(TOKENS.ErrorReporter, options.reporter ?? new StderrErrorReporter());
  child.registerInstance(TOKENS.Store, store);
  child.registerInstance(TOKENS.EventReader, store);
  child.registerInstance(TOKENS.SnapshotStore, store);
  // The only place that knows tsyringe: every component below takes plain constructor
  // arguments. Each is built on first resolve and cached on this child's registration (one
  // instance per catalyst, shared with any child a test derives from it for overrides).
  const once = <T>(token: symbol, build: (c: DependencyContainer) => T): void => {
    child.register(token, { useFactory: instanceCachingFactory(build) });
  };
  const get = <T>(c: DependencyContainer, token: symbol): T => c.resolve<T>(token);
  once(TOKENS.SchemaRegistry, () => new SchemaRegistry());
  once(TOKENS.ReducerRegistry, () => new ReducerRegistry());
  once(TOKENS.CausalContext, () => new AsyncCausalContext());
  once(TOKENS.Emitter, (c) =>
    readOnly
      ? new ReadOnlyEmitter()
      : new EventEmitter(
          get(c, TOKENS.Store),
          get(c, TOKENS.SchemaRegistry),
          get(c, TOKENS.CausalContext),
          get(c, TOKENS.Clock),
          get(c, TOKENS.IdGenerator),
          get(c, TOKENS.ErrorReporter),
          get(c, TOKENS.Config),
        ),
  );
  once(TOKENS.HookRegistry, (c) => new DefaultHookRegistry(get(c, TOKENS.CausalContext), get(c, TOKENS.ErrorReporter)));
  once(
    TOKENS.Rebuilder,
    (c) =>
      new Rebuilder(
        get(c, TOKENS.EventReader),
        get(c, TOKENS.SnapshotStore),
        get(c, TOKENS.ReducerRegistry),
        get(c, TOKENS.SchemaRegistry),
        get(c, TOKENS.Config),
        get(c, TOKENS.Clock),
      ),
  );
  once(
    TOKENS.PluginLoader,
    (c) =>
      new PluginLoader(
        get(c, TOKENS.Config),
        get(c, TOKENS.Clock),
        get(c, TOKENS.ErrorReporter),
        get(c, TOKENS.HookRegistry),
        get(c, TOKENS.SchemaRegistry),
        get(c, TOKENS.ReducerRegistry),
        get(c, TOKENS.Emitter),
        get(c, TOKENS.CausalContext),
        // Plugins read the log through the read-only view: they write only through the emitter.
        readOnlyStore(get(c, TOKENS.EventReader)),
      ),
  );
  return child;
}

/**
 * Accepts a parsed config (used as is: a config is parsed once), raw input, or loadConfig()'s
 * result (whose `configFile` is not a config key).
 */
export function toConfig(config: CatalystConfig | CatalystConfigInput | (CatalystConfig & { configFile?: unknown })): CatalystConfig {
  if (isParsedConfig(config)) return config;
  const { configFile: _ignored, ...rest } = (config ?? {}) as Record<string, unknown>;
  return parseConfig(rest);
}

function openStore(config: CatalystConfig, options: { readOnly: boolean; clock: Clock; ids: UuidV7Generator }): CatalystStore {
  if (!options.readOnly && config.db !== ':memory:') mkdirSync(dirname(config.db), { recursive: true });
  return SqliteEventStore.open({
    file: config.db,
    readOnly: options.readOnly,
    durability: config.durability,
    busyTimeoutMs: config.busyTimeoutMs,
    clock: options.clock,
    ids: options.ids,
  });
}

/**
 * A root container with no parent. tsyringe exports only its global instance; its class
 * makes a new, empty root. (A child of the global would see anything registered there.)
 */
function freshRoot(): DependencyContainer {
  const Root = globalContainer.constructor as new () => DependencyContainer;
  const root = new Root();
  return typeof root.createChildContainer === 'function' ? root : globalContainer.createChildContainer();
}
