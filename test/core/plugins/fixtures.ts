import 'reflect-metadata';
import { z } from 'zod';
import { ManualClock } from '../../../src-core/clock/clock';
import { parseConfig } from '../../../src-core/config/config';
import { ReadOnlyEmitter } from '../../../src-core/container/read-only-emitter';
import { AsyncCausalContext } from '../../../src-core/causality/async-causal-context';
import { DefaultHookRegistry } from '../../../src-core/hooks/hook-registry';
import { PluginLoader } from '../../../src-core/plugins/plugin-loader';
import type { CatalystPlugin, PluginContext } from '../../../src-core/plugins/types';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import { SchemaRegistry } from '../../../src-core/schema/schema-registry';
import { RecordingReporter } from '../hooks/fixtures';

/** A loader over real registries, without a store: the loader never touches one. */
export function makeLoader(pluginOptions: Record<string, Record<string, unknown>> = {}) {
  const reporter = new RecordingReporter();
  const causal = new AsyncCausalContext();
  const hooks = new DefaultHookRegistry(causal, reporter);
  const schemas = new SchemaRegistry();
  const reducers = new ReducerRegistry();
  const emitter = new ReadOnlyEmitter();
  const config = parseConfig({ pluginOptions });
  const loader = new PluginLoader(config, new ManualClock(0), reporter, hooks, schemas, reducers, emitter, causal);
  return { loader, hooks, schemas, reducers, emitter, causal, reporter };
}

/** A plugin that records when it registered and owns the given event types. */
export function fakePlugin(
  name: string,
  options: { dependencies?: string[]; coreApi?: string; version?: string; eventTypes?: string[]; log?: string[] } = {},
): CatalystPlugin & { seen?: PluginContext } {
  const plugin: CatalystPlugin & { seen?: PluginContext } = {
    name,
    version: options.version ?? '1.0.0',
    dependencies: options.dependencies,
    coreApi: options.coreApi ?? '^1.0.0',
    register(ctx) {
      plugin.seen = ctx;
      options.log?.push(name);
      for (const eventType of options.eventTypes ?? []) {
        ctx.schemas.register({ eventType, aggregateType: name, version: '1.0', payload: z.object({ id: z.string() }) });
      }
    },
  };
  return plugin;
}

/** Runs fn and returns what it threw (or rejected with); fails the test when nothing was thrown. */
export async function caught(fn: () => unknown): Promise<Error & { code?: string; plugins?: string[] }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { code?: string; plugins?: string[] };
  }
  throw new Error('expected a throw, got none');
}
