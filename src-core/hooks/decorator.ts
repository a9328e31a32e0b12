import { BOUND_HOOKS, type BoundInstance } from './binding';

type AnyMethod = (...args: unknown[]) => unknown;

/** TC39 (non-legacy) decorator context, in case a consumer compiles without experimentalDecorators. */
interface StandardMethodContext {
  kind: string;
  name: string | symbol;
}

/**
 * Marks a method as a hook point. Legacy (`experimentalDecorators`) method decorator:
 * it swaps `descriptor.value` for a wrapper that, when the instance is bound to a registry
 * with handlers on `point`, runs the call through that registry; otherwise it calls the
 * original directly (two property reads and a call: the no-plugin path must cost ~nothing).
 */
export function hook<O = undefined>(point: string, options?: O): MethodDecorator {
  if (typeof point !== 'string' || point.length === 0) {
    throw new TypeError('hook(point): point must be a non-empty string, e.g. "order.submit"');
  }
  function decorate(
    target: object,
    key: string | symbol | StandardMethodContext,
    descriptor?: PropertyDescriptor,
  ): PropertyDescriptor | AnyMethod {
    if (isStandardContext(key)) {
      if (key.kind !== 'method') {
        throw new TypeError(`@hook('${point}') can only decorate a method (got a ${key.kind})`);
      }
      // Standard decorators pass the method itself and expect the replacement back.
      return wrap(target as AnyMethod, point, options, methodName(key.name));
    }
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new TypeError(`@hook('${point}') can only decorate a method (got ${methodName(key)})`);
    }
    descriptor.value = wrap(descriptor.value as AnyMethod, point, options, methodName(key));
    return descriptor;
  }
  return decorate as unknown as MethodDecorator;
}

function wrap(original: AnyMethod, point: string, options: unknown, method: string): AnyMethod {
  if (typeof original !== 'function') {
    throw new TypeError(`@hook('${point}') can only decorate a method (got ${method})`);
  }
  const key: typeof BOUND_HOOKS = BOUND_HOOKS; // a closure constant: CJS builds would otherwise re-read the module object per call
  const hooked = function (this: BoundInstance | null | undefined): unknown {
    const registry = this?.[key];
    // `arguments` (not rest args): V8 forwards it through apply without allocating.
    // eslint-disable-next-line prefer-rest-params
    if (registry === undefined || !registry.has(point)) return original.apply(this, arguments as never);
    // eslint-disable-next-line prefer-rest-params
    return registry.dispatch(point, options, this as object, method, original, Array.from(arguments));
  };
  Object.defineProperty(hooked, 'name', { value: original.name, configurable: true });
  Object.defineProperty(hooked, 'length', { value: original.length, configurable: true });
  return hooked;
}

function isStandardContext(key: unknown): key is StandardMethodContext {
  return typeof key === 'object' && key !== null && 'kind' in key;
}

function methodName(key: string | symbol | StandardMethodContext): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'symbol') return key.description ?? key.toString();
  return methodName(key.name);
}
