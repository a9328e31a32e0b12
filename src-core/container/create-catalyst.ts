import 'reflect-metadata'; // tsyringe needs it even when this module is imported directly
import { dirname } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { CatalystConfig, CatalystConfigInput } from '../config/config';
import type { CausalContext } from '../causality/types';
import type { Emitter } from '../emitter/types';
import type { HookRegistry } from '../hooks/types';
import type { LoadedPlugin, PluginEntry, PluginLoader } from '../plugins/plugin-loader';
import type { Rebuilder } from '../rebuild/rebuilder';
import type { ReducerRegistry } from '../rebuild/reducer-registry';
import type { SchemaRegistry } from '../schema/schema-registry';
import { type CatalystStore, createContainer, type CreateContainerOptions, toConfig } from './create-container';
import { TOKENS } from './tokens';

/** Options of {@link createCatalyst} and {@link openCatalystReader}, beyond the config. */
export interface CatalystOptions extends CreateContainerOptions {
  /**
   * Plugins to load instead of `config.plugins`: module specifiers or plugin objects (a
   * bundled app passes objects). `[]` loads none; neither this nor config.plugins: none.
   */
  plugins?: readonly PluginEntry[];
  /** Where relative plugin paths resolve from. Default: the config file's folder, else cwd. */
  baseDir?: string;
}

/** What a reader (CLI, desktop) gets: everything to query and rebuild, nothing that writes. */
export interface CatalystReader {
  readonly container: DependencyContainer;
  readonly config: CatalystConfig;
  readonly store: CatalystStore;
  readonly rebuilder: Rebuilder;
  readonly schemas: SchemaRegistry;
  readonly reducers: ReducerRegistry;
  readonly plugins: PluginLoader;
  /** Loads more plugins (default: config.plugins, else none; already loaded ones are skipped). */
  loadPlugins(list?: readonly PluginEntry[]): Promise<LoadedPlugin[]>;
  /** Closes the store (if this catalyst opened it). Idempotent. */
  close(): Promise<void>;
}

/** What a bot gets: the reader's parts plus the emitter and the hooks its decorators feed. */
export interface Catalyst extends CatalystReader {
  readonly emitter: Emitter;
  readonly hooks: HookRegistry;
  readonly causal: CausalContext;
  /** Connects a bot object whose methods carry plugin decorators to this catalyst. */
  bind<T extends object>(instance: T): T;
  /** Flushes and closes the emitter, then closes the store. If the flush fails it throws and may be retried. */
  close(): Promise<void>;
}

/**
 * The entry a bot copies:
 *
 *   const catalyst = await createCatalyst({ db: './data/events.db' }, { plugins: [order, position] });
 *   const bot = catalyst.bind(new MyBot());
 *   ...
 *   await catalyst.close();
 *
 * Loads `options.plugins`, else `config.plugins` (the core names no plugin of its own: a bot
 * lists the ones it uses). Accepts loadConfig()'s result too.
 */
export async function createCatalyst(config: CatalystConfig | CatalystConfigInput = {}, options: CatalystOptions = {}): Promise<Catalyst> {
  return assemble(config, { ...options, readOnly: false });
}

/**
 * Opens an existing log read-only (never migrates, never writes), with plugins loaded for
 * their schemas (upcasting) and reducers (rebuilds). The emitter refuses writes.
 */
export async function openCatalystReader(
  config: CatalystConfig | CatalystConfigInput = {},
  options: Omit<CatalystOptions, 'readOnly'> = {},
): Promise<CatalystReader> {
  return assemble(config, { ...options, readOnly: true });
}

async function assemble(input: CatalystConfig | CatalystConfigInput, options: CatalystOptions & { readOnly: boolean }): Promise<Catalyst> {
  const config = toConfig(input);
  const configFile = (input as { configFile?: unknown } | undefined)?.configFile;
  const baseDir = options.baseDir ?? (typeof configFile === 'string' ? dirname(configFile) : process.cwd());
  const container = createContainer(config, options);
  const ownsStore = options.store === undefined;
  const store = container.resolve<CatalystStore>(TOKENS.Store);
  const emitter = container.resolve<Emitter>(TOKENS.Emitter);
  const hooks = container.resolve<HookRegistry>(TOKENS.HookRegistry);
  const plugins = container.resolve<PluginLoader>(TOKENS.PluginLoader);
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    emitter.close(); // flushes; a failure leaves the queue intact and the store open for a retry
    closed = true;
    if (ownsStore) await store.close();
  };

  const catalyst: Catalyst = {
    container,
    config,
    store,
    emitter,
    hooks,
    causal: container.resolve<CausalContext>(TOKENS.CausalContext),
    rebuilder: container.resolve<Rebuilder>(TOKENS.Rebuilder),
    schemas: container.resolve<SchemaRegistry>(TOKENS.SchemaRegistry),
    reducers: container.resolve<ReducerRegistry>(TOKENS.ReducerRegistry),
    plugins,
    // A reader calls only `define`: no hook handler, no live state.
    loadPlugins: (list) => plugins.load(list ?? config.plugins ?? [], { baseDir, attach: !options.readOnly }),
    bind: (instance) => hooks.bind(instance),
    close,
  };

  try {
    await catalyst.loadPlugins(options.plugins);
  } catch (error) {
    try {
      emitter.close();
    } finally {
      if (ownsStore) await store.close();
    }
    throw error;
  }
  return catalyst;
}
