import { PluginError, UnknownTypeError } from '../errors';
import type { ReducerDefinition } from './types';

/** A reducer and the plugin that registered it, as {@link ReducerRegistry.list} gives them. */
export interface RegisteredReducer {
  definition: ReducerDefinition<unknown>;
  /** The plugin that registered it, or '(anonymous)'. */
  owner: string;
}

const ANONYMOUS = '(anonymous)';

/** One reducer per aggregate type; plugins register theirs at load time. */
export class ReducerRegistry {
  private readonly byType = new Map<string, RegisteredReducer>();

  /**
   * Registers the reducer of `definition.aggregateType`, for `owner` (a plugin name).
   * @throws {@link PluginError} when the type already has a reducer (naming both owners), or
   * when the definition is malformed: empty aggregateType, version not an integer >= 0,
   * reduce or initialState not a function.
   */
  register<S>(definition: ReducerDefinition<S>, owner: string = ANONYMOUS): void {
    const type = definition?.aggregateType;
    if (typeof type !== 'string' || type.length === 0) {
      throw new PluginError([owner], 'a reducer needs a non-empty aggregateType');
    }
    if (!Number.isSafeInteger(definition.version) || definition.version < 0) {
      throw new PluginError([owner], `reducer for '${type}' needs an integer version >= 0 (got ${String(definition.version)})`);
    }
    if (typeof definition.reduce !== 'function' || typeof definition.initialState !== 'function') {
      throw new PluginError([owner], `reducer for '${type}' needs reduce() and initialState() functions`);
    }
    const existing = this.byType.get(type);
    if (existing) {
      // Two folds for one aggregate would make the state depend on load order.
      throw new PluginError(
        [existing.owner, owner],
        `both register a reducer for aggregate type '${type}' (first: ${existing.owner}, second: ${owner}); ` +
          'an aggregate type has exactly one reducer',
      );
    }
    this.byType.set(type, { definition: definition, owner });
  }

  /** The reducer of `aggregateType`; undefined when none is registered. */
  get(aggregateType: string): ReducerDefinition<unknown> | undefined {
    return this.byType.get(aggregateType)?.definition;
  }

  /** Like get, but an unregistered type is an UnknownTypeError naming the known ones. */
  require(aggregateType: string): ReducerDefinition<unknown> {
    const found = this.get(aggregateType);
    if (!found) throw new UnknownTypeError('aggregate', aggregateType, this.types());
    return found;
  }

  /** Whether `aggregateType` has a reducer. */
  has(aggregateType: string): boolean {
    return this.byType.has(aggregateType);
  }

  /** The aggregate types that have a reducer, sorted. */
  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /** Every registration, sorted by aggregate type. */
  list(): RegisteredReducer[] {
    return [...this.byType.values()].sort((a, b) => a.definition.aggregateType.localeCompare(b.definition.aggregateType));
  }
}
