/**
 * How a decorated class and a container's hook registry meet, with nothing module-level
 * mutable: the decorator records its hook points on the class prototype (under HOOK_SPECS),
 * and `HookRegistry.bind(instance)` installs per-instance wrappers for the points that have
 * handlers. So the prototype keeps the bot's own method: an unbound instance, or one bound to
 * a container with no plugin on that point, runs exactly the undecorated function.
 * `Symbol.for` so a plugin built against another copy of this package finds the same keys.
 */
export const HOOK_SPECS: unique symbol = Symbol.for('catalyst-events.hooks.specs') as never;
export const BOUND_HOOKS: unique symbol = Symbol.for('catalyst-events.hooks.registry') as never;

/** One decorated method, as recorded on its class prototype. */
export interface HookSpec {
  readonly method: string | symbol;
  readonly point: string;
  readonly options: unknown;
}

type SpecHolder = { [HOOK_SPECS]?: HookSpec[] };

/** Records a spec on `proto` (its own list, so subclasses never write into a parent's). */
export function recordHookSpec(proto: object, spec: HookSpec): void {
  const holder = proto as SpecHolder;
  if (!Object.prototype.hasOwnProperty.call(holder, HOOK_SPECS)) {
    Object.defineProperty(holder, HOOK_SPECS, { value: [], enumerable: false, configurable: true });
  }
  const list = holder[HOOK_SPECS]!;
  if (!list.some((s) => s.method === spec.method && s.point === spec.point)) list.push(spec);
}

/**
 * The hook specs an instance's methods carry, nearest class first. A spec applies only while
 * the method the instance resolves is still the decorated one (a subclass override that is
 * not decorated is not hooked).
 */
export function hookSpecsOf(instance: object): { spec: HookSpec; original: (...args: unknown[]) => unknown }[] {
  const out: { spec: HookSpec; original: (...args: unknown[]) => unknown }[] = [];
  const seen = new Set<string | symbol>();
  for (
    let proto = Object.getPrototypeOf(instance) as object | null;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    if (!Object.prototype.hasOwnProperty.call(proto, HOOK_SPECS)) continue;
    for (const spec of (proto as SpecHolder)[HOOK_SPECS]!) {
      if (seen.has(spec.method)) continue;
      const own = Object.getOwnPropertyDescriptor(proto, spec.method)?.value as unknown;
      const resolved = (Object.getPrototypeOf(instance) as Record<string | symbol, unknown>)[spec.method];
      if (typeof own !== 'function' || resolved !== own) continue;
      seen.add(spec.method);
      out.push({ spec, original: own as (...args: unknown[]) => unknown });
    }
  }
  return out;
}
