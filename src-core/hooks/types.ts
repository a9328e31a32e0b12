/**
 * Hook points: a bot method marked with a decorator becomes a point that plugins attach
 * handlers to. The core knows no trading word: a point is just a name like `order.submit`.
 */

export interface HookCall<O = unknown> {
  /** The hook point's name, e.g. `order.submit`. */
  readonly point: string;
  /** Whatever the decorator was given (a plugin-defined mapping, say). */
  readonly options: O;
  /** The instance the method was called on. */
  readonly target: object;
  /** The decorated method's name. */
  readonly method: string;
  /** The arguments the method was called with. */
  readonly args: readonly unknown[];
}

/**
 * What a plugin attaches to a point. Each step runs inside the call's causal context, so
 * events emitted from a handler share the call chain's correlation id. A handler that
 * throws is reported and ignored: it never changes what the bot's method returns or throws.
 */
export interface HookHandler<O = unknown> {
  /** Intent: before the method runs, with its arguments. */
  before?(call: HookCall<O>): void;
  /** Outcome: after it returned (for an async method, with the resolved value). */
  after?(call: HookCall<O>, result: unknown): void;
  /** The method threw (or its promise rejected); the error is rethrown unchanged. */
  error?(call: HookCall<O>, error: unknown): void;
}

/**
 * A container's hook points: plugins attach handlers here, and bot instances are bound to it
 * so their decorated methods run those handlers.
 */
export interface HookRegistry {
  /** Attach a handler; returns a function that detaches it. */
  on<O = unknown>(point: string, handler: HookHandler<O>): () => void;
  /** Whether any handler is attached to the point (the no-plugin fast path asks this). */
  has(point: string): boolean;
  /** Points that have handlers. */
  points(): string[];
  /**
   * Connects an instance with decorated methods to this registry (and so to this
   * container's emitter). An unbound instance behaves exactly as undecorated.
   */
  bind<T extends object>(instance: T): T;
}

/**
 * What {@link hook} and the plugins' decorator factories (`OrderHooks.submit()`, ...) return:
 * a method decorator that type-checks and runs under TypeScript's standard (TC39) decorators,
 * the default since TypeScript 5.0, and under `experimentalDecorators`. Without decorator
 * syntax (plain JavaScript), hand it to `applyHooks(Class, { method: decorator })`.
 */
export interface HookDecorator {
  /**
   * Standard (TC39) decorators: an instance method, public or protected.
   * @typeParam This - the class the method is declared on.
   * @typeParam Method - the decorated method's type; the decorator leaves it unchanged.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the lib's own constraint on a method
  <This, Method extends (this: This, ...args: any) => any>(value: Method, context: ClassMethodDecoratorContext<This, Method>): void;
  /** `experimentalDecorators` (legacy): the prototype, the method's name and its descriptor. */
  <T>(target: object, propertyKey: string | symbol, descriptor: TypedPropertyDescriptor<T>): void;
}
