/**
 * Every injection token, in one place. Injected constructor parameters always name their
 * token with `@inject(TOKENS.X)`: esbuild/oxc emit no decorator metadata to autowire from.
 */
export const TOKENS = {
  Config: Symbol.for('catalyst.Config'),
  Clock: Symbol.for('catalyst.Clock'),
  IdGenerator: Symbol.for('catalyst.IdGenerator'),
  /** The SQLite store: EventWriter & EventReader & SnapshotStore & CheckpointStore. */
  Store: Symbol.for('catalyst.Store'),
  /** The query side only (SQLite or PostgreSQL). */
  EventReader: Symbol.for('catalyst.EventReader'),
  SnapshotStore: Symbol.for('catalyst.SnapshotStore'),
  SchemaRegistry: Symbol.for('catalyst.SchemaRegistry'),
  ReducerRegistry: Symbol.for('catalyst.ReducerRegistry'),
  Emitter: Symbol.for('catalyst.Emitter'),
  CausalContext: Symbol.for('catalyst.CausalContext'),
  HookRegistry: Symbol.for('catalyst.HookRegistry'),
  Rebuilder: Symbol.for('catalyst.Rebuilder'),
  PluginLoader: Symbol.for('catalyst.PluginLoader'),
  ErrorReporter: Symbol.for('catalyst.ErrorReporter'),
} as const;
