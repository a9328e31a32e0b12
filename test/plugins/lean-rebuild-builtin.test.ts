/**
 * The built-in reducers (and the example portfolio plugin's) declare `leanEvents` (they read no metadata or position): a rebuild
 * from lean rows must give exactly what the same fold over whole rows gives, on a real file,
 * for histories that reach every branch (good and bad payloads, a corrupt row, a gap).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Payload, ReducerDefinition } from '../../src-core';
import { ManualClock } from '../../src-core/clock/clock';
import { prepareEvent } from '../../src-core/emitter/prepare';
import { Rebuilder } from '../../src-core/rebuild/rebuilder';
import { ReducerRegistry } from '../../src-core/rebuild/reducer-registry';
import { SchemaRegistry } from '../../src-core/schema/schema-registry';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { ALERT_EVENTS, alertEventSchemas } from '../../src-plugins/alert/events';
import { alertReducer } from '../../src-plugins/alert/reducer';
import { POSITION_EVENTS, positionEventSchemas } from '../../src-plugins/position/events';
import { positionReducer } from '../../src-plugins/position/reducer';
import { RISK_EVENTS, riskEventSchemas } from '../../src-plugins/risk/events';
import { riskReducer } from '../../src-plugins/risk/reducer';
import { tempDir } from '../support/temp';
import { ORDER_AGGREGATE, ORDER_EVENTS, orderEventSchemas, SIGNAL_AGGREGATE } from '../../src-plugins/order/events';
import { orderReducer, signalReducer } from '../../src-plugins/order/reducer';
import { PORTFOLIO_EVENTS, portfolioEventSchemas } from '../../examples/portfolio-plugin/events';
import { portfolioReducer } from '../../examples/portfolio-plugin/reducer';

let dir: ReturnType<typeof tempDir>;
let store: SqliteEventStore;
beforeEach(() => {
  dir = tempDir('lean-builtin-');
  store = SqliteEventStore.open({ file: dir.file('events.db') });
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

/** A small deterministic generator (the same history every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

/** Payload values a writer may send: mostly sane numbers, sometimes strings, nulls or nothing. */
function payloadFor(rand: () => number, id: string): Payload {
  const value = (): unknown => {
    const r = rand();
    if (r < 0.7) return Math.round(rand() * 20_000) / 100;
    if (r < 0.8) return String(Math.round(rand() * 100));
    if (r < 0.9) return null;
    return undefined;
  };
  const payload: Payload = {
    position_id: id,
    ticker: rand() < 0.9 ? 'ACME' : 'OTHER',
    side: rand() < 0.5 ? 'long' : 'short',
    trade_id: `t-${Math.floor(rand() * 400)}`,
    order_id: `o-${Math.floor(rand() * 50)}`,
    level: rand() < 0.5 ? 'warning' : 'exceeded',
    date: rand() < 0.8 ? `2026-01-0${1 + Math.floor(rand() * 9)}` : 7,
  };
  for (const key of [
    'quantity',
    'entry_price',
    'price',
    'new_price',
    'new_unrealized_pnl',
    'exit_price',
    'commission',
    'stop_loss_price',
    'new_stop_loss_price',
    'new_take_profit_price',
    'trigger_price',
    'current_price',
    'score',
    'confidence',
    'value',
    'limit',
    'daily_loss',
    'cash',
    'equity',
    'filled_quantity',
    'filled_price',
    'limit_price',
    'realized_pnl',
    'unrealized_pnl',
  ]) {
    const v = value();
    if (v !== undefined) payload[key] = v;
  }
  return payload;
}

function history(aggregateType: string, id: string, types: string[], count: number, seed: number): void {
  const rand = random(seed);
  const events = Array.from({ length: count }, (_, i) =>
    prepareEvent({
      event_type: types[Math.floor(rand() * types.length)]!,
      aggregate_type: aggregateType,
      aggregate_id: id,
      payload: payloadFor(rand, id),
      created_at: 1_767_225_600_000 + i * 1_000,
    }),
  );
  store.appendBatch(events.slice(0, count / 2));
  const at = store.aggregateVersionSync(aggregateType, id);
  // A corrupt row and a hole in the middle of the history.
  store.connection
    .prepare(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES (?, ?, ?, ?, '{"broken": ', NULL, 1767225600000, ?)`,
    )
    .run(`bad-${id}`, types[0], aggregateType, id, at + 1);
  store.connection
    .prepare(
      `INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
       VALUES (?, ?, ?, ?, '{}', NULL, 1767225600000, ?)`,
    )
    .run(`after-gap-${id}`, types[1], aggregateType, id, at + 3);
  store.appendBatch(events.slice(count / 2));
}

function rebuilder(reducer: ReducerDefinition<unknown>): Rebuilder {
  const reducers = new ReducerRegistry();
  reducers.register(reducer, 'test');
  const schemas = new SchemaRegistry();
  for (const definition of [
    ...positionEventSchemas,
    ...alertEventSchemas,
    ...riskEventSchemas,
    ...portfolioEventSchemas,
    ...orderEventSchemas,
  ]) {
    schemas.register(definition, 'test');
  }
  return new Rebuilder(store, store, reducers, schemas, { snapshots: { every: 0 } }, new ManualClock(0));
}

/** The order catalogue's event types of one aggregate type. */
function typesOf(aggregateType: string): string[] {
  return Object.entries(ORDER_EVENTS)
    .filter(([, d]) => d.aggregateType === aggregateType)
    .map(([type]) => type);
}

const CASES: [string, ReducerDefinition<unknown>, string[]][] = [
  ['position', positionReducer, Object.keys(POSITION_EVENTS)],
  ['alert', alertReducer, Object.keys(ALERT_EVENTS)],
  ['risk', riskReducer, Object.keys(RISK_EVENTS)],
  ['order', orderReducer, typesOf(ORDER_AGGREGATE)],
  // A signal is one event: the second one onwards is an anomaly, which still folds the same.
  ['signal', signalReducer, [...typesOf(SIGNAL_AGGREGATE), 'ORDER_SUBMITTED']],
  // The example third-party plugin, written like the built-ins, declares it too.
  ['portfolio', portfolioReducer, Object.keys(PORTFOLIO_EVENTS)],
];

describe('built-in reducers rebuilt from lean rows', () => {
  it.each(CASES)('%s: declares leanEvents, and the lean rebuild equals the whole-row one', async (type, reducer, types) => {
    expect(reducer.leanEvents).toBe(true);
    // Opened first, so the rest of the history finds a position (or alert) to act on.
    store.append(
      prepareEvent({
        event_type: types[0]!,
        aggregate_type: reducer.aggregateType,
        aggregate_id: 'a-1',
        payload: payloadFor(random(1), 'a-1'),
      }),
    );
    history(reducer.aggregateType, 'a-1', types, 1_400, type.length);
    const lean = await rebuilder(reducer).rebuild(reducer.aggregateType, 'a-1');
    const whole = await rebuilder({ ...reducer, leanEvents: false }).rebuild(reducer.aggregateType, 'a-1');
    expect(lean).toEqual(whole);
    expect(whole.state).not.toEqual(reducer.initialState('a-1'));
    expect(whole.version).toBe(1 + 1_400 + 3);
    expect(whole.corrupt).toHaveLength(1);
    expect(whole.anomalies.map((a) => a.kind)).toEqual(['sequence_gap']);
    expect(whole.lastEvent?.metadata).toBeDefined();
  });
});
