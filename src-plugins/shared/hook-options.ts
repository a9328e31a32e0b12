/**
 * What every built-in decorator factory accepts. The default mapping reads a conventional
 * shape (documented per hook); `map` adapts any other method signature.
 */

/** `before`: the method has not run yet (`result` is undefined). `after`: it returned. */
export type HookPhase = 'before' | 'after';

/** A mapper's answer: one input, several (one event each), or null/undefined for "emit nothing". */
export type MappedInput<I> = Partial<I> | readonly Partial<I>[] | null | undefined;

/** Options of every built-in decorator factory (`OrderHooks.submit(options)`, ...). Both are optional. */
export interface HookOptions<I> {
  /**
   * Adapt the call to the hook's input shape. Its answer is merged over the default
   * extraction (the method's first argument, overlaid by its result when either is an
   * object). Return null to emit nothing for this call. Hooks that can emit before the
   * call (`order.submit`, `order.fill`, `alert.receive`) call it first with phase `before`
   * (result undefined), then again with phase `after`.
   */
  map?: (args: readonly unknown[], result: unknown, phase: HookPhase) => MappedInput<I>;
  /**
   * Hooks that turn a thrown error into an event (`order.submit` -> ORDER_REJECTED,
   * `risk.check` -> RISK_CHECK_FAILED): adapt the error. Return null to emit nothing.
   */
  mapError?: (args: readonly unknown[], error: unknown) => Partial<I> | Record<string, unknown> | null | undefined;
}
