import type { ReducerRegistry } from '../rebuild/reducer-registry';
import type { ReducerDefinition } from '../rebuild/types';

/**
 * The define-time hint archiving reads: a reducer definition may say when its aggregate has
 * ended for good (`ReducerDefinition.isTerminal`: a closed position, a terminal order, a
 * decided alert). Core names no plugin type; an aggregate whose reducer gives no hint is
 * long-lived (archived only up to a snapshot).
 */
export type TerminalHint<S = unknown> = Pick<ReducerDefinition<S>, 'isTerminal'>;

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
