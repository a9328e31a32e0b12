import type { z } from 'zod';
import type { Clock } from '../clock/clock';
import type { ErrorReporter } from '../container/tokens';
import type { HookRegistry } from '../hooks/types';
import type { CausalContext } from '../context/types';
import type { Payload, StoredEvent } from '../events/types';

/** Lifts a payload written under an older schema version to the next one, on read. */
export interface Upcaster {
  fromVersion: string;
  toVersion: string;
  up(payload: Payload): Payload;
}

/** One event type's schema, as a plugin registers it. */
export interface EventSchemaDefinition<S extends z.ZodType = z.ZodType> {
  eventType: string;
  aggregateType: string;
  /** Written to metadata.version; the seed writes "1.0". */
  version: string;
  payload: S;
  description?: string;
  upcasters?: readonly Upcaster[];
}

/** A pure fold for one aggregate type. */
export interface ReducerDefinition<S = unknown> {
  aggregateType: string;
  /** Bump when the fold changes: snapshots taken with another version are ignored. */
  version: number;
  initialState(aggregateId: string): S;
  /**
   * Must be pure and must not throw: an event it cannot apply is recorded as an anomaly
   * on the returned state. (The rebuilder still guards against a throw.)
   */
  reduce(state: S, event: StoredEvent): S;
}

export interface PluginContext {
  /** This plugin's options from the config (`pluginOptions[name]`), unvalidated. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly clock: Clock;
  readonly reporter: ErrorReporter;
  readonly hooks: HookRegistry;
  readonly schemas: { register(definition: EventSchemaDefinition): void };
  readonly reducers: { register<S>(definition: ReducerDefinition<S>): void };
  readonly emitter: import('../emitter/types').Emitter;
  readonly causal: CausalContext;
}

export interface CatalystPlugin {
  name: string;
  version: string;
  /** Names of plugins that must be registered first. */
  dependencies?: readonly string[];
  /** Semver range of the core API this plugin was written against, e.g. "^1.0.0". */
  coreApi: string;
  register(ctx: PluginContext): void | Promise<void>;
}
