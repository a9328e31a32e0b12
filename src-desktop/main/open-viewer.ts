import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { SystemClock } from '../../src-core/clock/clock';
import { parseConfig } from '../../src-core/config/config';
import { TOKENS } from '../../src-core/container/tokens';
import type { CatalystPlugin } from '../../src-core/plugins/types';
import { Rebuilder } from '../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../src-core/rebuild/reducer-registry';
import { SchemaRegistry } from '../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { SqliteCorruptRowFinder } from './corrupt-rows';
import { VIEWER_TOKENS } from './tokens';
import { ViewerService, type ViewerProbe, type ViewerSource } from './viewer-service';

export interface OpenViewerOptions {
  file: string;
  /** Plugin objects (bundled apps) or module specifiers; default: none. */
  plugins?: readonly (CatalystPlugin | string)[];
  mode?: 'electron' | 'served';
  canOpenFiles?: boolean;
  pollMs?: number;
}

export interface OpenedViewer {
  service: ViewerService;
  container: DependencyContainer;
  store: SqliteEventStore;
  close(): void;
}

/**
 * Opens a log for viewing: the store read-only (readonly + fileMustExist + query_only, never
 * migrated), reducers from the plugins, a rebuilder that folds in memory (a read-only store
 * never writes snapshots), and the viewer service on top, all in a fresh child container.
 */
export async function openViewer(options: OpenViewerOptions): Promise<OpenedViewer> {
  const store = SqliteEventStore.open({ file: options.file, readOnly: true });
  try {
    const container = rootContainer.createChildContainer();
    const config = parseConfig({ db: options.file, plugins: [] });
    container.register(TOKENS.Config, { useValue: config });
    container.register(TOKENS.Clock, { useValue: new SystemClock() });
    container.register(TOKENS.Store, { useValue: store });
    container.register(TOKENS.EventReader, { useValue: store });
    container.register(TOKENS.SnapshotStore, { useValue: store });
    container.registerSingleton(TOKENS.ReducerRegistry, ReducerRegistry);
    container.registerSingleton(TOKENS.SchemaRegistry, SchemaRegistry);
    container.registerSingleton(TOKENS.Rebuilder, Rebuilder);
    const plugins = await registerPlugins(container, options.plugins ?? []);
    const source: ViewerSource = {
      file: store.file,
      backend: 'sqlite',
      mode: options.mode ?? 'served',
      canOpenFiles: options.canOpenFiles ?? false,
      plugins,
    };
    const probe: ViewerProbe = {
      versions: store,
      corrupt: new SqliteCorruptRowFinder(store.connection, store.schemaFeatures.hasPositionTable),
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    };
    container.register(VIEWER_TOKENS.Source, { useValue: source });
    container.register(VIEWER_TOKENS.Probe, { useValue: probe });
    container.registerSingleton(VIEWER_TOKENS.ViewerService, ViewerService);
    const service = container.resolve<ViewerService>(VIEWER_TOKENS.ViewerService);
    return {
      service,
      container,
      store,
      close() {
        service.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Registers the plugins' schemas and reducers (all a reader needs of them). */
async function registerPlugins(
  container: DependencyContainer,
  plugins: readonly (CatalystPlugin | string)[],
): Promise<{ name: string; version: string }[]> {
  const loaded: { name: string; version: string }[] = [];
  if (plugins.length === 0) return loaded;
  const reducers = container.resolve<ReducerRegistry>(TOKENS.ReducerRegistry);
  const schemas = container.resolve<SchemaRegistry>(TOKENS.SchemaRegistry);
  for (const entry of plugins) {
    const plugin: CatalystPlugin =
      typeof entry === 'string' ? ((await import(entry)) as { default: CatalystPlugin }).default : entry;
    await plugin.register({
      options: {},
      clock: new SystemClock(),
      reporter: { report: () => undefined },
      hooks: { on: () => () => undefined, has: () => false, points: () => [], bind: (i) => i },
      schemas: { register: (d) => schemas.register(d, plugin.name) },
      reducers: { register: (d) => reducers.register(d, plugin.name) },
      emitter: undefined as never,
      causal: { current: () => undefined, run: (fn) => fn() },
    });
    loaded.push({ name: plugin.name, version: plugin.version });
  }
  return loaded;
}
