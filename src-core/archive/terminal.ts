import type { ReducerRegistry } from '../rebuild/reducer-registry';

/**
 * The define-time hint archiving reads: a reducer definition may say when its aggregate has
 * ended for good (a closed position, a terminal order, a decided alert). Core names no
 * plugin type; an aggregate whose reducer gives no hint is long-lived (archived only up to a
 * snapshot).
 */
export interface TerminalHint<S = unknown> {
  isTerminal?(state: S): boolean;
}

/** Whether this state is terminal for its aggregate type, per its reducer's hint. */
export function isTerminalState(reducers: Pick<ReducerRegistry, 'get'>, aggregateType: string, state: unknown): boolean {
  const definition = reducers.get(aggregateType) as (TerminalHint & object) | undefined;
  if (typeof definition?.isTerminal !== 'function') return false;
  try {
    return definition.isTerminal(state) === true;
  } catch {
    return false; // a hint that throws is no hint: keep the aggregate live
  }
}
