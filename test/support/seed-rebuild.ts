import { runSeedPython } from './seed-python';

/**
 * The seed guide's Phase D StateRebuilder (rebuild_position, rebuild_order), verbatim but
 * for the store call: python3 runs it on a file to tell what the seed's bot would rebuild.
 * Use inside runSeedPython; the file is ARGS["file"].
 */
export const SEED_REBUILD_PY = String.raw`
from datetime import datetime

# --- Phase D, verbatim but for the store call. created_at stays Unix ms so states compare with
# ours, unless ARGS["datetimes"] asks for the seed's own conversion (it fails on a non-numeric one).
class Store:
    def get_events_for_aggregate(self, t, i):
        events = get_events_for_aggregate(sqlite3.connect(ARGS["file"]), t, i)
        if ARGS.get("datetimes"):
            for event in events:
                event["created_at"] = datetime.fromtimestamp(event["created_at"] / 1000)
        return events

class StateRebuilder:
    def __init__(self):
        self.store = Store()

    def rebuild_position(self, position_id):
        events = self.store.get_events_for_aggregate("position", position_id)
        if not events:
            return None
        state = {"position_id": position_id, "status": "unknown", "price_history": [], "pnl_history": []}
        for event in events:
            event_type = event["event_type"]
            payload = event["payload"]
            if event_type == "POSITION_OPENED":
                state.update({
                    "ticker": payload["ticker"], "side": payload["side"], "quantity": payload["quantity"],
                    "entry_price": payload["entry_price"], "current_price": payload["entry_price"],
                    "stop_loss": payload.get("stop_loss_price"), "take_profit": payload.get("take_profit_price"),
                    "status": "open", "opened_at": event["created_at"]
                })
            elif event_type == "POSITION_PRICE_UPDATED":
                state["current_price"] = payload["new_price"]
                state["unrealized_pnl"] = payload["new_unrealized_pnl"]
                state["price_history"].append({"price": payload["new_price"], "pnl": payload["new_unrealized_pnl"], "timestamp": event["created_at"]})
            elif event_type == "POSITION_CLOSED":
                state.update({
                    "status": "closed", "exit_price": payload["exit_price"], "exit_reason": payload["exit_reason"],
                    "realized_pnl": payload["realized_pnl"], "hold_duration_seconds": payload["hold_duration_seconds"],
                    "closed_at": event["created_at"]
                })
        return state

    def rebuild_order(self, order_id):
        events = self.store.get_events_for_aggregate("order", order_id)
        if not events:
            return None
        state = {"order_id": order_id, "status": "unknown", "fills": [], "status_history": []}
        for event in events:
            event_type = event["event_type"]
            payload = event["payload"]
            state["status_history"].append({"status": event_type, "timestamp": event["created_at"]})
            if event_type == "ORDER_SUBMITTED":
                state.update({
                    "ticker": payload["ticker"], "side": payload["side"], "quantity": payload["quantity"],
                    "order_type": payload["order_type"], "limit_price": payload.get("limit_price"),
                    "status": "submitted", "submitted_at": event["created_at"]
                })
            elif event_type == "ORDER_FILLED":
                state["status"] = "filled"
                state["filled_price"] = payload["filled_price"]
                state["filled_quantity"] = payload["filled_quantity"]
                state["slippage"] = payload.get("slippage", 0)
                state["filled_at"] = event["created_at"]
                state["fills"].append(payload)
            elif event_type == "ORDER_REJECTED":
                state["status"] = "rejected"
                state["reject_reason"] = payload["reject_reason"]
                state["rejected_at"] = event["created_at"]
            elif event_type == "ORDER_CANCELLED":
                state["status"] = "cancelled"
                state["cancelled_at"] = event["created_at"]
        return state

`;

/** Prints the seed's rebuilds as JSON: {"positions": {id: state}, "orders": {id: state}}; datetimes as str(). */
export const SEED_REBUILD_MAIN = String.raw`
r = StateRebuilder()
print(json.dumps({
    "positions": {i: r.rebuild_position(i) for i in ARGS.get("positions", [])},
    "orders": {i: r.rebuild_order(i) for i in ARGS.get("orders", [])},
}, default=str))
`;

/** A state as the seed's rebuilder returns it (null: no events for that id). */
export type SeedState = Record<string, unknown>;

export interface SeedRebuilds {
  positions: Record<string, SeedState | null>;
  orders: Record<string, SeedState | null>;
}

/**
 * python3 rebuilds these positions and orders from `file` with the seed's own code.
 * `datetimes`: timestamps go through the seed's datetime conversion (strings in the result).
 */
export function runSeedRebuild(
  file: string,
  ids: { positions?: string[]; orders?: string[] },
  options: { datetimes?: boolean } = {},
): SeedRebuilds {
  const args = { file, ...ids, datetimes: options.datetimes ?? false };
  return JSON.parse(runSeedPython(`${SEED_REBUILD_PY}\n${SEED_REBUILD_MAIN}`, args)) as SeedRebuilds;
}
