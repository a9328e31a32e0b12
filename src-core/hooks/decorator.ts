import { recordHookSpec } from './binding';

/** TC39 (non-legacy) decorator context, in case a consumer compiles without experimentalDecorators. */
interface StandardMethodContext {
  kind: string;
  name: string | symbol;
  static?: boolean;
  addInitializer?(initializer: (this: object) => void): void;
}

/**
 * Marks a method as a hook point. It does not touch the method: it records the point on the
 * class, and `HookRegistry.bind(instance)` hooks that instance's call when a loaded plugin has
 * handlers on the point. With no plugin loaded, the method is exactly the undecorated one.
 * Works as a legacy (`experimentalDecorators`) and as a standard (TC39) method decorator.
 */
export function hook<O = undefined>(point: string, options?: O): MethodDecorator {
  if (typeof point !== 'string' || point.length === 0) {
    throw new TypeError('hook(point): point must be a non-empty string, e.g. "order.submit"');
  }
  function decorate(target: object, key: string | symbol | StandardMethodContext, descriptor?: PropertyDescriptor): unknown {
    if (isStandardContext(key)) {
      if (key.kind !== 'method' || key.static) {
        throw new TypeError(`@hook('${point}') can only decorate an instance method (got a ${key.static ? 'static ' : ''}${key.kind})`);
      }
      const method = key.name;
      // Standard decorators never see the prototype; record it from the first instance.
      key.addInitializer?.(function (this: object) {
        recordHookSpec(Object.getPrototypeOf(this) as object, { method, point, options });
      });
      return target; // the method itself, unchanged
    }
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new TypeError(`@hook('${point}') can only decorate a method (got ${String(key)})`);
    }
    recordHookSpec(target, { method: key, point, options });
    return descriptor;
  }
  return decorate as unknown as MethodDecorator;
}

function isStandardContext(key: unknown): key is StandardMethodContext {
  return typeof key === 'object' && key !== null && 'kind' in key;
}
