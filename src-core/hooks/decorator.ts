import { recordHookSpec } from './binding';
import type { HookDecorator } from './types';

/** The part of a TC39 method decorator context this module reads. */
interface StandardMethodContext {
  kind: string;
  name: string | symbol;
  static?: boolean;
  private?: boolean;
  addInitializer?(initializer: (this: object) => void): void;
}

/**
 * Marks a method as a hook point. It does not touch the method: it records the point on the
 * class, and `HookRegistry.bind(instance)` hooks that instance's call when a loaded plugin has
 * handlers on the point. With no plugin loaded, the method is exactly the undecorated one.
 * Works as a standard (TC39) and as a legacy (`experimentalDecorators`) method decorator,
 * and through {@link applyHooks} without decorator syntax.
 *
 * @param point - the hook point's name, e.g. `order.submit`
 * @param options - handed to the point's handlers as `HookCall.options`
 */
export function hook<O = undefined>(point: string, options?: O): HookDecorator {
  if (typeof point !== 'string' || point.length === 0) {
    throw new TypeError('hook(point): point must be a non-empty string, e.g. "order.submit"');
  }
  function decorate(target: unknown, key: string | symbol | StandardMethodContext, descriptor?: PropertyDescriptor): unknown {
    if (isStandardContext(key)) {
      if (key.kind !== 'method' || key.static || key.private) {
        const what = `${key.static ? 'static ' : ''}${key.private ? 'private ' : ''}${key.kind}`;
        throw new TypeError(`@hook('${point}') can only decorate a public instance method (got a ${what})`);
      }
      const method = key.name;
      // Standard decorators never see the prototype: record the point, on first construction,
      // on the prototype that owns this very function (a subclass instance starts below it).
      key.addInitializer?.(function (this: object) {
        recordHookSpec(ownerOf(this, method, target), { method, point, options });
      });
      return target; // the method itself, unchanged
    }
    if (!descriptor || typeof descriptor.value !== 'function' || typeof target !== 'object' || target === null) {
      throw new TypeError(`@hook('${point}') can only decorate a method (got ${String(key)})`);
    }
    recordHookSpec(target, { method: key, point, options });
    return descriptor;
  }
  return decorate as HookDecorator;
}

/**
 * Applies hook decorators to a class's methods without decorator syntax (plain JavaScript,
 * or a TypeScript project that does not enable decorators):
 *
 * ```js
 * class Executor { submit(order) { ... } onFill(fill) { ... } }
 * applyHooks(Executor, { submit: OrderHooks.submit(), onFill: [OrderHooks.fill()] });
 * ```
 *
 * The same as writing the decorators above the methods. Returns the class.
 */
export function applyHooks<C extends abstract new (...args: never[]) => object>(
  cls: C,
  hooks: { readonly [K in keyof InstanceType<C>]?: HookDecorator | readonly HookDecorator[] },
): C {
  const proto = cls.prototype as object;
  for (const method of Reflect.ownKeys(hooks)) {
    const decorators = (hooks as Record<string | symbol, HookDecorator | readonly HookDecorator[] | undefined>)[method];
    if (decorators === undefined) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, method);
    if (!descriptor || typeof descriptor.value !== 'function') {
      throw new TypeError(`applyHooks(${cls.name}): ${String(method)} is not a method declared by ${cls.name}`);
    }
    for (const decorator of isDecoratorList(decorators) ? decorators : [decorators]) {
      decorator(proto, method, descriptor);
    }
  }
  return cls;
}

/** `Array.isArray` narrows a readonly array to `any[]`; this keeps the element type. */
function isDecoratorList(decorators: HookDecorator | readonly HookDecorator[]): decorators is readonly HookDecorator[] {
  return Array.isArray(decorators);
}

function isStandardContext(key: unknown): key is StandardMethodContext {
  return typeof key === 'object' && key !== null && 'kind' in key;
}

/** The prototype in `instance`'s chain that owns `method` as the decorated function itself. */
function ownerOf(instance: object, method: string | symbol, fn: unknown): object {
  for (let proto = Object.getPrototypeOf(instance) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.getOwnPropertyDescriptor(proto, method)?.value === fn) return proto;
  }
  return Object.getPrototypeOf(instance) as object;
}
