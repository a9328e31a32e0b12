import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runSeedPython } from '../../../support/seed-python';
import { ROOT } from './run-bin';

/**
 * Our log: the paper bot (real plugins, real decorators) run once into `file`. Returns the
 * bot's run id, the prefix of every aggregate id (`s3-ord-0001`...).
 */
export function writeBotLog(file: string, seed = 3): string {
  execFileSync(
    join(ROOT, 'node_modules/.bin/tsx'),
    [join(ROOT, 'examples/paper-bot/main.ts'), '--db', file, '--seed', String(seed), '--json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return `s${seed}`;
}

export const T0 = 1_735_732_800_000; // 2025-01-01T12:00:00Z

/**
 * A trade as the seed's Python bot writes it (its own append, rollback-journal mode): a
 * signal, an order filled, a position opened, moved and closed, all under one correlation id
 * with causation links; a second, rejected order.
 */
export const SEED_TRADE_PY = String.raw`
conn = sqlite3.connect(ARGS["file"])
init_schema(conn, ARGS.get("with_migration", True))
T0 = ${T0}
ids = {}
def emit(key, event_type, aggregate_type, aggregate_id, payload, t, correlation_id, cause=None):
    event_id = str(uuid.uuid4())
    ids[key] = event_id
    append(conn, {
        "event_id": event_id, "event_type": event_type, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id,
        "payload": payload, "created_at": t,
        "metadata": {"source": "seed_bot", "correlation_id": correlation_id, "causation_id": ids.get(cause), "user_id": None, "version": "1.0"},
    })
sig = "sig_001"
emit("sig", "SIGNAL_GENERATED", "signal", sig, {"signal_id": sig, "ticker": "AAPL", "action": "buy", "confidence": 0.82,
     "reasoning": "FDA approval", "timeframe": "intraday", "source_alert_id": "alert_001"}, T0, sig)
emit("sub", "ORDER_SUBMITTED", "order", "ord_001", {"order_id": "ord_001", "signal_id": sig, "ticker": "AAPL", "side": "buy",
     "quantity": 100, "order_type": "market", "limit_price": None, "stop_price": None, "extended_hours": False}, T0 + 1000, sig, "sig")
emit("fill", "ORDER_FILLED", "order", "ord_001", {"order_id": "ord_001", "filled_quantity": 100, "filled_price": 150.27,
     "fill_time": "2025-01-01T12:00:02", "slippage": 0.27, "liquidity": "taker"}, T0 + 2000, sig, "sub")
emit("open", "POSITION_OPENED", "position", "pos_001", {"position_id": "pos_001", "ticker": "AAPL", "side": "long", "quantity": 100,
     "entry_price": 150.27, "signal_id": sig, "stop_loss_price": 145.0, "take_profit_price": 160.0,
     "cost_basis": 15027.0}, T0 + 3000, sig, "fill")
emit("px", "POSITION_PRICE_UPDATED", "position", "pos_001", {"position_id": "pos_001", "old_price": 150.27, "new_price": 155.62,
     "old_unrealized_pnl": 0.0, "new_unrealized_pnl": 535.0, "price_source": "market_data"}, T0 + 60000, sig, "open")
emit("close", "POSITION_CLOSED", "position", "pos_001", {"position_id": "pos_001", "ticker": "AAPL", "side": "long",
     "exit_reason": "take_profit", "exit_price": 155.62, "entry_price": 150.27, "quantity": 100,
     "realized_pnl": 535.0, "hold_duration_seconds": 297, "return_pct": 3.56}, T0 + 300000, sig, "px")
emit("sub2", "ORDER_SUBMITTED", "order", "ord_002", {"order_id": "ord_002", "signal_id": "sig_002", "ticker": "TSLA", "side": "short",
     "quantity": 10, "order_type": "limit", "limit_price": 240.5, "stop_price": None, "extended_hours": True}, T0 + 400000, "sig_002")
emit("rej", "ORDER_REJECTED", "order", "ord_002", {"order_id": "ord_002", "reject_reason": "insufficient_buying_power",
     "broker_message": "APIError: insufficient buying power", "rejected_at": "2025-01-01T12:06:41.123456"}, T0 + 401000, "sig_002", "sub2")
conn.close()
print(json.dumps(ids))
`;

/** Writes the seed trade with python3; returns the event ids by step (`sig`, `sub`, `fill`, ...). */
export function writeSeedLog(file: string, options: { withMigration?: boolean } = {}): Record<string, string> {
  return JSON.parse(runSeedPython(SEED_TRADE_PY, { file, with_migration: options.withMigration ?? true })) as Record<string, string>;
}

/** Raw SQL through python3 (as another program would damage a file). */
export function pythonSql(file: string, statements: readonly (readonly [string, readonly unknown[]])[]): void {
  runSeedPython(
    String.raw`
conn = sqlite3.connect(ARGS["file"])
for sql, params in ARGS["statements"]:
    conn.execute(sql, params)
conn.commit()
conn.close()
`,
    { file, statements },
  );
}
