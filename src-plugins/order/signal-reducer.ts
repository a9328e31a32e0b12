/**
 * The `signal` aggregate: one SIGNAL_GENERATED per signal, recording what was decided and
 * on what inputs. A second generation of the same id is an anomaly (the first one stands).
 */
import type { LeanEvent, ReducerDefinition } from '../../src-core';
import { num, str, type Anomaly, withAnomaly } from '../shared/reduce-helpers';
import { SIGNAL_AGGREGATE, type OrderPluginEventType } from './events';

/** 2: `anomalies` is a window. */
export const SIGNAL_REDUCER_VERSION = 2;

/** A signal as its SIGNAL_GENERATED leaves it. `generated_at` is Unix ms. */
export interface SignalState {
  signal_id: string;
  status: 'unknown' | 'generated';
  ticker: string | null;
  action: string | null;
  confidence: number | null;
  reasoning: string | null;
  timeframe: string | null;
  source_alert_id: string | null;
  inputs: Record<string, unknown>;
  quantity: number | null;
  entry_price: number | null;
  stop_loss_price: number | null;
  take_profit_price: number | null;
  generated_at: number | null;
  anomalies: Anomaly[];
}

/** The state before the signal's event: status `unknown`, every field empty. */
export function initialSignalState(signalId: string): SignalState {
  return {
    signal_id: signalId,
    status: 'unknown',
    ticker: null,
    action: null,
    confidence: null,
    reasoning: null,
    timeframe: null,
    source_alert_id: null,
    inputs: {},
    quantity: null,
    entry_price: null,
    stop_loss_price: null,
    take_profit_price: null,
    generated_at: null,
    anomalies: [],
  };
}

/** Applies one event. Pure. A second SIGNAL_GENERATED is recorded in `anomalies`; the first one stands. */
export function reduceSignal(state: SignalState, event: LeanEvent): SignalState {
  if (event.event_type !== ('SIGNAL_GENERATED' satisfies OrderPluginEventType)) return state;
  if (state.status === 'generated') {
    return withAnomaly(state, event, 'duplicate_signal');
  }
  const p = event.payload;
  const inputs = p.inputs !== null && typeof p.inputs === 'object' && !Array.isArray(p.inputs) ? (p.inputs as Record<string, unknown>) : {};
  return {
    ...state,
    status: 'generated',
    ticker: str(p.ticker),
    action: str(p.action),
    confidence: num(p.confidence),
    reasoning: str(p.reasoning),
    timeframe: str(p.timeframe),
    source_alert_id: str(p.source_alert_id),
    inputs,
    quantity: num(p.quantity),
    entry_price: num(p.entry_price),
    stop_loss_price: num(p.stop_loss_price),
    take_profit_price: num(p.take_profit_price),
    generated_at: event.created_at,
  };
}

/** The `signal` fold: one event per signal, terminal once generated. */
export const signalReducer: ReducerDefinition<SignalState> = {
  aggregateType: SIGNAL_AGGREGATE,
  version: SIGNAL_REDUCER_VERSION,
  // The fold takes LeanEvents (no metadata, no position): rebuilds read neither column.
  leanEvents: true,
  initialState: initialSignalState,
  reduce: reduceSignal,
  // A signal is one event: once generated, nothing more happens to it.
  isTerminal: (state) => state.status === 'generated',
};
