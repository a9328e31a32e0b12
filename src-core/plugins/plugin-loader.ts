import semver from 'semver';
import type { Clock } from '../clock/clock';
import type { CatalystConfig } from '../config/config';
import type { ErrorReporter } from '../errors/reporter';
import type { CausalContext } from '../causality/types';
import type { Emitter } from '../emitter/types';
import { isPluginError, PluginError } from '../errors';
import type { HookRegistry } from '../hooks/types';
import type { UpcastSource } from '../rebuild/fold';
import type { EventReader } from '../store/types';
import { ChainRegistry } from '../causality/chain-registry';
import { CORE_API_VERSION } from './core-api';
import { orderByDependencies } from './dependency-order';
import { emptyReader, StoreHistory, syncReadsOf, type ReducerSource } from './plugin-history';
import { importPluginModule, pluginExport } from './plugin-module';
import { validatePlugin } from './plugin-schema';
import type { CatalystPlugin, CausalChains, DefineContext, EventSchemaDefinition, PluginContext, ReducerDefinition } from './types';

/** What the loader needs of the schema and reducer registries (both name the owner on conflict). */
export interface OwnedRegistry<D> {
  register(definition: D, owner: string): void;
}

/** A config entry: a module specifier (package name or path) or a plugin object. */
export type PluginEntry = string | CatalystPlugin;

/** A plugin the loader registered. */
export interface LoadedPlugin {
  /** The plugin's name. */
  name: string;
  /** The plugin's version. */
  version: string;
  /** The specifier it came from, or '(object)' for a plugin passed directly. */
  source: string;
}

/** How {@link PluginLoader.load} loads. */
export interface LoadOptions {
  /** Where relative plugin paths resolve from (the config file's folder). Default: cwd. */
  baseDir?: string;
  /**
   * A write session (a bot) calls each plugin's `define` then `attach`; a read session (CLI
   * reads, the viewer, the forwarder) passes false and calls only `define`. Default: true.
   */
  attach?: boolean;
}

interface Candidate {
  plugin: CatalystPlugin;
  source: string;
}

/**
 * Loads plugins into this container: imports, validates, checks the core API range and
 * dependencies, then calls each plugin's `define(ctx)` and (in a write session) `attach(ctx)`,
 * or its 1.0/1.1 `register(ctx)`, in dependency order. Every failure is a
 * PluginError naming the plugins involved; a load that fails registers nothing of the
 * plugins after the failing one.
 */
export class PluginLoader {
  private readonly loadedPlugins = new Map<string, LoadedPlugin>();
  /** Loads run one after another, so two concurrent calls cannot interleave registrations. */
  private queue: Promise<unknown> = Promise.resolve();
  /** What every plugin context shares: the read-only log and the causal chains. */
  private readonly reader: EventReader;
  private readonly history: StoreHistory;
  private readonly chains: ChainRegistry;

  constructor(
    private readonly config: Pick<CatalystConfig, 'pluginOptions'>,
    private readonly clock: Clock,
    private readonly reporter: ErrorReporter,
    private readonly hooks: HookRegistry,
    private readonly schemas: OwnedRegistry<EventSchemaDefinition> & UpcastSource,
    private readonly reducers: OwnedRegistry<ReducerDefinition<unknown>> & ReducerSource,
    private readonly emitter: Emitter,
    private readonly causal: CausalContext,
    /**
     * The log as plugins see it: a read-only view (the container passes one). Optional so a
     * registry-only loader (a test, a tool) needs no store: plugins then see an empty log.
     */
    reader?: EventReader,
  ) {
    this.reader = reader ?? emptyReader();
    this.history = new StoreHistory(syncReadsOf(reader), reducers, schemas);
    this.chains = new ChainRegistry(causal, (type, id) => this.history.last(type, id));
  }

  private chainView: CausalChains | undefined;

  /**
   * What PluginContext.chains is: the registry, fed once per accepted event from the first
   * attach on (a read session, or a catalyst without plugins, pays no listener).
   */
  private pluginChains(): CausalChains {
    if (this.chainView === undefined) {
      const { chains, emitter } = this;
      emitter.onAccepted((event) => chains.observe(event));
      this.chainView = Object.freeze({
        ref: (type: string, id: string | null | undefined) => chains.ref(type, id),
        find: (follow: Parameters<CausalChains['find']>[0]) => chains.find(follow),
        run: <T>(follow: Parameters<CausalChains['run']>[0], fn: () => T) => chains.run(follow, fn),
        emit: (event: Parameters<CausalChains['emit']>[0], follow: Parameters<CausalChains['emit']>[1]) =>
          chains.run(follow, () => emitter.emit(event)),
      });
    }
    return this.chainView;
  }

  /** Plugins registered so far, in registration order. */
  loaded(): LoadedPlugin[] {
    return [...this.loadedPlugins.values()];
  }

  /** Whether a plugin of this name is registered. */
  has(name: string): boolean {
    return this.loadedPlugins.has(name);
  }

  /**
   * Loads the entries (already-loaded plugins of the same version are skipped) and
   * returns the ones registered by this call, in the order they were registered.
   */
  load(entries: readonly PluginEntry[], options: LoadOptions = {}): Promise<LoadedPlugin[]> {
    const run = this.queue.then(() => this.loadNow(entries, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadNow(entries: readonly PluginEntry[], options: LoadOptions): Promise<LoadedPlugin[]> {
    // A JavaScript config may hand anything; checked through `list` so `entries` keeps its element type.
    const list: unknown = entries;
    if (!Array.isArray(list)) throw new PluginError(['(list)'], 'plugins must be an array of module specifiers or plugin objects');
    const baseDir = options.baseDir ?? process.cwd();
    const candidates: Candidate[] = [];
    for (const [index, entry] of entries.entries()) {
      candidates.push(await this.resolve(entry, index, baseDir));
    }
    const fresh = this.withoutLoaded(candidates);
    for (const { plugin } of fresh) this.checkCoreApi(plugin);
    const ordered = orderByDependencies(
      fresh.map((c) => ({ name: c.plugin.name, dependencies: c.plugin.dependencies, candidate: c })),
      new Set(this.loadedPlugins.keys()),
    );
    const registered: LoadedPlugin[] = [];
    const attach = options.attach ?? true;
    for (const { candidate } of ordered) {
      await this.register(candidate, attach);
      const record = { name: candidate.plugin.name, version: candidate.plugin.version, source: candidate.source };
      this.loadedPlugins.set(record.name, record);
      registered.push(record);
    }
    return registered;
  }

  private async resolve(entry: PluginEntry, index: number, baseDir: string): Promise<Candidate> {
    if (typeof entry === 'string') {
      if (entry.length === 0) throw new PluginError([`#${index + 1}`], 'an empty module specifier in the plugin list');
      const mod = await importPluginModule(entry, baseDir);
      return { plugin: validatePlugin(pluginExport(mod, entry), entry), source: entry };
    }
    return { plugin: validatePlugin(entry, `plugin #${index + 1} in the list`), source: '(object)' };
  }

  /** Drops plugins already registered by an earlier load; refuses duplicates and version clashes. */
  private withoutLoaded(candidates: readonly Candidate[]): Candidate[] {
    const seen = new Map<string, Candidate>();
    const fresh: Candidate[] = [];
    for (const candidate of candidates) {
      const { name, version } = candidate.plugin;
      const twin = seen.get(name);
      if (twin !== undefined) {
        throw new PluginError([name], `listed twice (from ${twin.source} and ${candidate.source}); list each plugin once`);
      }
      seen.set(name, candidate);
      const earlier = this.loadedPlugins.get(name);
      if (earlier === undefined) {
        fresh.push(candidate);
      } else if (earlier.version !== version) {
        throw new PluginError([name], `version ${version} (from ${candidate.source}) cannot replace the loaded version ${earlier.version}`);
      }
    }
    return fresh;
  }

  private checkCoreApi(plugin: CatalystPlugin): void {
    if (!semver.satisfies(CORE_API_VERSION, plugin.coreApi, { includePrerelease: true })) {
      throw new PluginError(
        [plugin.name],
        `needs core API ${plugin.coreApi}, but this catalyst-events provides ${CORE_API_VERSION}; ` +
          `use a version of ${plugin.name} written for core API ${semver.major(CORE_API_VERSION)}.x`,
      );
    }
  }

  private async register({ plugin, source }: Candidate, attach: boolean): Promise<void> {
    const owner = plugin.name;
    // A conflict is remembered even if the plugin catches it: it must still fail the load.
    let conflict: unknown;
    const guard = <D>(registry: OwnedRegistry<D>) => ({
      register: (definition: D) => {
        try {
          registry.register(definition, owner);
        } catch (error) {
          conflict ??= error;
          throw error;
        }
      },
    });
    const defineCtx: DefineContext = Object.freeze({
      options: Object.freeze({ ...(this.config.pluginOptions[owner] ?? {}) }),
      schemas: guard(this.schemas),
      reducers: guard(this.reducers),
    });
    // Built only when a handler may use it: a read session starts no chain listener.
    const fullCtx = (): PluginContext =>
      Object.freeze({
        ...defineCtx,
        clock: this.clock,
        reporter: this.reporter,
        hooks: this.hooks,
        emitter: this.emitter,
        causal: this.causal,
        reader: this.reader,
        history: this.history,
        chains: this.pluginChains(),
      });
    let step = 'register';
    try {
      // The 1.2 form wins when a plugin carries both (one written for 1.1 loaders too).
      if (plugin.define === undefined && plugin.attach === undefined) {
        await plugin.register!(fullCtx());
      } else {
        step = 'define';
        plugin.define?.(defineCtx);
        step = 'attach';
        if (attach && conflict === undefined) await plugin.attach?.(fullCtx());
      }
    } catch (error) {
      throw asPluginError(conflict ?? error, owner, source, step);
    }
    if (conflict !== undefined) throw asPluginError(conflict, owner, source, step);
  }
}

function asPluginError(error: unknown, owner: string, source: string, step: string): PluginError {
  if (isPluginError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const from = source === '(object)' ? '' : ` (from ${source})`;
  return new PluginError([owner], `${step}() failed${from}: ${message}`, { cause: error });
}
