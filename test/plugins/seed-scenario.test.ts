/**
 * The seed's own scenario, written by the seed's Python (its EventStore.append) and rebuilt
 * by the seed's own `rebuild_position` / `rebuild_order` (copied verbatim from Phase D, only
 * the store call and the datetime conversion adapted): our reducers, on the same file, must
 * produce every key the seed produces with the same value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCorruptEvent, type StoredEvent } from '../../src-core';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { orderReducer } from '../../src-plugins/order/reducer';
import { positionReducer } from '../../src-plugins/position/reducer';
import { runSeedPython } from '../support/seed-python';
import { SEED_REBUILD_PY } from '../support/seed-rebuild';
import { tempDir } from '../support/temp';
import { fold } from './events';

const SCENARIO = String.raw`
T0 = 1735732800000  # 2025-01-01T12:00:00Z
conn = sqlite3.connect(ARGS["file"])
init_schema(conn)

def emit(event_type, aggregate_type, aggregate_id, payload, t, correlation_id=None):
    append(conn, {
        "event_type": event_type, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id,
        "payload": payload, "created_at": t,
        "metadata": {"source": "order_executor", "correlation_id": correlation_id, "causation_id": None, "user_id": None, "version": "1.0"},
    })

sig = "sig_001"
emit("SIGNAL_GENERATED", "signal", sig, {"signal_id": sig, "ticker": "AAPL", "action": "buy", "confidence": 0.82,
     "reasoning": "FDA approval", "timeframe": "intraday", "source_alert_id": "alert_001"}, T0, sig)
# Phase B.1, ORDER_SUBMITTED exactly as the seed writes it
emit("ORDER_SUBMITTED", "order", "ord_001", {"order_id": "ord_001", "signal_id": sig, "ticker": "AAPL", "side": "buy",
     "quantity": 100, "order_type": "market", "limit_price": None, "stop_price": None, "extended_hours": False}, T0 + 1000, sig)
expected_price = 150.0
filled_price = 150.27
emit("ORDER_FILLED", "order", "ord_001", {"order_id": "ord_001", "filled_quantity": 100, "filled_price": filled_price,
     "fill_time": "2025-01-01T12:00:02", "slippage": round(filled_price - expected_price, 4), "liquidity": "taker"}, T0 + 2000, sig)
# Phase B.2, POSITION_OPENED
emit("POSITION_OPENED", "position", "pos_001", {"position_id": "pos_001", "ticker": "AAPL", "side": "long", "quantity": 100,
     "entry_price": filled_price, "signal_id": sig, "stop_loss_price": 145.0, "take_profit_price": 160.0,
     "cost_basis": 100 * filled_price}, T0 + 3000, sig)
old_price, old_pnl = filled_price, 0.0
for i, new_price in enumerate([151.1, 152.35, 149.8, 155.62]):
    new_pnl = (new_price - filled_price) * 100
    if abs(new_price - old_price) / old_price > 0.001:
        emit("POSITION_PRICE_UPDATED", "position", "pos_001", {"position_id": "pos_001", "old_price": old_price,
             "new_price": new_price, "old_unrealized_pnl": old_pnl, "new_unrealized_pnl": new_pnl,
             "price_source": "market_data"}, T0 + 60000 * (i + 1))
        old_price, old_pnl = new_price, new_pnl
exit_price = 155.62
realized = (exit_price - filled_price) * 100
emit("POSITION_CLOSED", "position", "pos_001", {"position_id": "pos_001", "ticker": "AAPL", "side": "long",
     "exit_reason": "take_profit", "exit_price": exit_price, "entry_price": filled_price, "quantity": 100,
     "realized_pnl": realized, "hold_duration_seconds": 297, "return_pct": (exit_price / filled_price - 1) * 100},
     T0 + 300000, "ord_exit_001")
# A rejected order (B.1 error handler)
emit("ORDER_SUBMITTED", "order", "ord_002", {"order_id": "ord_002", "signal_id": "sig_002", "ticker": "TSLA", "side": "short",
     "quantity": 10, "order_type": "limit", "limit_price": 240.5, "stop_price": None, "extended_hours": True}, T0 + 400000, "sig_002")
emit("ORDER_REJECTED", "order", "ord_002", {"order_id": "ord_002", "reject_reason": "insufficient_buying_power",
     "broker_message": "APIError: insufficient buying power", "rejected_at": "2025-01-01T12:06:41.123456"}, T0 + 401000, "sig_002")
conn.close()

${SEED_REBUILD_PY}
r = StateRebuilder()
print(json.dumps({"position": r.rebuild_position("pos_001"), "filled": r.rebuild_order("ord_001"), "rejected": r.rebuild_order("ord_002")}))
`;

type SeedState = Record<string, unknown>;

describe("the seed's scenario, rebuilt", () => {
  let tmp: ReturnType<typeof tempDir>;
  let seed: { position: SeedState; filled: SeedState; rejected: SeedState };
  let store: SqliteEventStore;

  beforeAll(() => {
    tmp = tempDir('seed-scenario-');
    const file = tmp.file('seed.db');
    seed = JSON.parse(runSeedPython(SCENARIO, { file })) as typeof seed;
    store = SqliteEventStore.open({ file, readOnly: true });
  });
  afterAll(() => {
    store.close();
    tmp.cleanup();
  });

  async function events(type: string, id: string): Promise<StoredEvent[]> {
    const records = await store.readAggregate(type, id);
    expect(records.some(isCorruptEvent)).toBe(false);
    return records as StoredEvent[];
  }

  /** Every key of the seed's state, with the seed's value. */
  function expectSeedKeys(ours: object, theirs: SeedState): void {
    expect(Object.keys(theirs).length).toBeGreaterThan(5);
    for (const [key, value] of Object.entries(theirs)) {
      expect(ours, `key ${key}`).toHaveProperty(key);
      expect((ours as Record<string, unknown>)[key], `key ${key}`).toEqual(value);
    }
  }

  it('position: open, four price updates, take-profit close', async () => {
    const state = fold(positionReducer, 'pos_001', await events('position', 'pos_001'));
    expectSeedKeys(state, seed.position);
    expect(seed.position.price_history).toHaveLength(4);
    expect(state.status).toBe('closed');
    expect(state.anomalies).toEqual([]);
  });

  it('order: submitted then filled', async () => {
    const state = fold(orderReducer, 'ord_001', await events('order', 'ord_001'));
    expectSeedKeys(state, seed.filled);
    expect(state.filled_quantity).toBe(100);
    expect(state.anomalies).toEqual([]);
  });

  it('order: submitted then rejected', async () => {
    const state = fold(orderReducer, 'ord_002', await events('order', 'ord_002'));
    expectSeedKeys(state, seed.rejected);
    expect(state.status).toBe('rejected');
    expect(state.reject_reason).toBe('insufficient_buying_power');
  });
});
