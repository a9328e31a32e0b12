import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { ManualClock } from '../../../src-core/clock/clock';
import { TOKENS } from '../../../src-core/container/tokens';
import type { NewEvent, StoredEvent } from '../../../src-core/events/types';
import type { ReducerDefinition } from '../../../src-core/plugins/types';
import { Rebuilder } from '../../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../../src-core/rebuild/reducer-registry';
import type { UpcastSource } from '../../../src-core/rebuild/fold';
import { type SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepareEvent } from '../../../src-core/emitter/prepare';

/** A tiny test aggregate: a cash ledger. */
export interface LedgerState {
  id: string;
  balance: number;
  entries: number[];
  /** The reducer's own anomalies (a withdrawal it cannot apply). */
  anomalies: string[];
  marker?: string;
}

export const LEDGER = 'ledger';

export interface LedgerReducer extends ReducerDefinition<LedgerState> {
  /** How many events reduce() was called with: proves what a snapshot skipped. */
  calls: number;
}

/**
 * `mutate: true` gives a reducer that (wrongly) edits the state in place, to show the
 * rebuilder's copies protect earlier replay steps.
 */
export function ledgerReducer(options: { version?: number; mutate?: boolean } = {}): LedgerReducer {
  const reducer: LedgerReducer = {
    aggregateType: LEDGER,
    version: options.version ?? 2,
    calls: 0,
    initialState: (id) => ({ id, balance: 0, entries: [], anomalies: [] }),
    reduce(state, event: StoredEvent) {
      reducer.calls++;
      const amount = Number(event.payload.amount);
      switch (event.event_type) {
        case 'DEPOSITED':
          if (options.mutate) {
            state.balance += amount;
            state.entries.push(amount);
            return state;
          }
          return { ...state, balance: state.balance + amount, entries: [...state.entries, amount] };
        case 'WITHDRAWN':
          if (amount > state.balance) {
            return { ...state, anomalies: [...state.anomalies, `overdraw ${amount} at ${event.sequence_number}`] };
          }
          return { ...state, balance: state.balance - amount, entries: [...state.entries, -amount] };
        case 'BOOM':
          throw new Error('reducer bug');
        default:
          return { ...state, anomalies: [...state.anomalies, `unknown ${event.event_type}`] };
      }
    },
  };
  return reducer;
}

export function ledgerEvent(id: string, type: string, amount: number, created_at: number): NewEvent {
  return { event_type: type, aggregate_type: LEDGER, aggregate_id: id, payload: { amount }, created_at };
}

/** The history most tests use: seq 1..5 at t = 1000..5000. Balance after each: 100, 150, 120, 130, 130 (+overdraw anomaly). */
export const HISTORY: [type: string, amount: number][] = [
  ['DEPOSITED', 100],
  ['DEPOSITED', 50],
  ['WITHDRAWN', 30],
  ['DEPOSITED', 10],
  ['WITHDRAWN', 500],
];

export function appendHistory(store: SqliteEventStore, id: string, history = HISTORY, t0 = 1000): StoredEvent[] {
  return store.appendBatch(history.map(([type, amount], i) => ledgerEvent(id, type, amount, t0 + i * 1000)).map((e) => prepareEvent(e)));
}

export interface RebuildHarness {
  container: DependencyContainer;
  rebuilder: Rebuilder;
  registry: ReducerRegistry;
  reducer: LedgerReducer;
  clock: ManualClock;
}

/** A fresh child container wired the way the app wires it, around one store. */
export function harness(
  store: SqliteEventStore,
  options: { every?: number; reducer?: LedgerReducer; schemas?: UpcastSource } = {},
): RebuildHarness {
  const container = rootContainer.createChildContainer();
  const clock = new ManualClock(1_000_000);
  const reducer = options.reducer ?? ledgerReducer();
  const registry = new ReducerRegistry();
  registry.register(reducer, 'test-ledger');
  container.register(TOKENS.EventReader, { useValue: store });
  container.register(TOKENS.SnapshotStore, { useValue: store });
  container.register(TOKENS.ReducerRegistry, { useValue: registry });
  container.register(TOKENS.Config, { useValue: { snapshots: { every: options.every ?? 0 } } });
  container.register(TOKENS.Clock, { useValue: clock });
  if (options.schemas) container.register(TOKENS.SchemaRegistry, { useValue: options.schemas });
  // Built with plain arguments (tsyringe stays in createContainer), then registered for tests that resolve it.
  const rebuilder = new Rebuilder(store, store, registry, options.schemas, { snapshots: { every: options.every ?? 0 } }, clock);
  container.register(TOKENS.Rebuilder, { useValue: rebuilder });
  return { container, rebuilder, registry, reducer, clock };
}
