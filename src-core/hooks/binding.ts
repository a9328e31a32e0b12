/**
 * How a decorated instance finds its container's hook registry: a non-enumerable symbol
 * property that `HookRegistry.bind(instance)` sets. Nothing module-level is mutable, so two
 * containers in one process never share hooks. `Symbol.for` so that a plugin built against
 * another copy of this package still finds the same property.
 */
export const BOUND_HOOKS: unique symbol = Symbol.for('catalyst-events.hooks.registry') as never;

/** What the decorator's wrapper needs from a registry; kept tiny so the fast path stays cheap. */
export interface HookDispatcher {
  has(point: string): boolean;
  dispatch(
    point: string,
    options: unknown,
    target: object,
    method: string,
    original: (...args: unknown[]) => unknown,
    args: unknown[],
  ): unknown;
}

export interface BoundInstance {
  readonly [BOUND_HOOKS]?: HookDispatcher;
}
