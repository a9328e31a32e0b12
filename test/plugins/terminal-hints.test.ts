import { describe, expect, it } from 'vitest';
import type { ReducerDefinition } from '../../src-core';
import { alertReducer } from '../../src-plugins/alert';
import { orderReducer, signalReducer } from '../../src-plugins/order';
import { positionReducer } from '../../src-plugins/position';
import { riskReducer } from '../../src-plugins/risk';

/** `archive` moves an aggregate whole only when its reducer says its state has ended. */
const ended = <S>(reducer: ReducerDefinition<S>, state: Partial<S>): boolean =>
  reducer.isTerminal?.({ ...reducer.initialState('x'), ...state }) ?? false;

describe('terminal hints (ReducerDefinition.isTerminal) of the built-in reducers', () => {
  it.each([
    ['order', orderReducer, ['filled', 'rejected', 'cancelled', 'expired'], ['unknown', 'submitted', 'accepted', 'partially_filled']],
    ['position', positionReducer, ['closed'], ['unknown', 'open']],
    ['alert', alertReducer, ['executed', 'skipped', 'rate_limited'], ['unknown', 'received', 'classified', 'scored', 'decided']],
    ['signal', signalReducer, ['generated'], ['unknown']],
  ] as const)('%s', (_name, reducer, terminal, live) => {
    for (const status of terminal) expect(ended(reducer as ReducerDefinition<{ status: string }>, { status }), status).toBe(true);
    for (const status of live) expect(ended(reducer as ReducerDefinition<{ status: string }>, { status }), status).toBe(false);
  });

  it('the risk book never ends: it is archived only up to a snapshot', () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- only checks that the hook is absent; nothing is called
    expect(riskReducer.isTerminal).toBeUndefined();
  });
});
