"""The seed guide's read path, verbatim in spirit: get_events_for_aggregate and the
StateRebuilder's rebuild_position / rebuild_order, run by python3's sqlite3 on our file."""
import json
import sqlite3
import sys
from datetime import datetime

db_path, kind, aggregate_id = sys.argv[1], sys.argv[2], sys.argv[3]
conn = sqlite3.connect(db_path)
conn.row_factory = sqlite3.Row


def get_events_for_aggregate(aggregate_type, aggregate_id, since_sequence=0):
    cursor = conn.cursor()
    cursor.execute("""
        SELECT event_id, event_type, aggregate_type, aggregate_id,
               payload, metadata, created_at, sequence_number
        FROM event_log
        WHERE aggregate_type = ? AND aggregate_id = ? AND sequence_number > ?
        ORDER BY sequence_number ASC
    """, (aggregate_type, aggregate_id, since_sequence))
    events = []
    for row in cursor.fetchall():
        events.append({
            "event_id": row["event_id"],
            "event_type": row["event_type"],
            "aggregate_type": row["aggregate_type"],
            "aggregate_id": row["aggregate_id"],
            "payload": json.loads(row["payload"]),
            "metadata": json.loads(row["metadata"]) if row["metadata"] else None,
            "created_at": datetime.fromtimestamp(row["created_at"] / 1000),
            "sequence_number": row["sequence_number"],
        })
    return events


def rebuild_position(position_id):
    events = get_events_for_aggregate("position", position_id)
    if not events:
        return None
    state = {"position_id": position_id, "status": "unknown", "price_history": [], "pnl_history": []}
    for event in events:
        event_type = event["event_type"]
        payload = event["payload"]
        if event_type == "POSITION_OPENED":
            state.update({
                "ticker": payload["ticker"],
                "side": payload["side"],
                "quantity": payload["quantity"],
                "entry_price": payload["entry_price"],
                "current_price": payload["entry_price"],
                "stop_loss": payload.get("stop_loss_price"),
                "take_profit": payload.get("take_profit_price"),
                "status": "open",
                "opened_at": event["created_at"],
            })
        elif event_type == "POSITION_PRICE_UPDATED":
            state["current_price"] = payload["new_price"]
            state["unrealized_pnl"] = payload["new_unrealized_pnl"]
            state["price_history"].append({"price": payload["new_price"], "pnl": payload["new_unrealized_pnl"], "timestamp": event["created_at"]})
        elif event_type == "POSITION_CLOSED":
            state.update({
                "status": "closed",
                "exit_price": payload["exit_price"],
                "exit_reason": payload["exit_reason"],
                "realized_pnl": payload["realized_pnl"],
                "hold_duration_seconds": payload["hold_duration_seconds"],
                "closed_at": event["created_at"],
            })
    return state


def rebuild_order(order_id):
    events = get_events_for_aggregate("order", order_id)
    if not events:
        return None
    state = {"order_id": order_id, "status": "unknown", "fills": [], "status_history": []}
    for event in events:
        event_type = event["event_type"]
        payload = event["payload"]
        state["status_history"].append({"status": event_type, "timestamp": event["created_at"]})
        if event_type == "ORDER_SUBMITTED":
            state.update({
                "ticker": payload["ticker"],
                "side": payload["side"],
                "quantity": payload["quantity"],
                "order_type": payload["order_type"],
                "limit_price": payload.get("limit_price"),
                "status": "submitted",
                "submitted_at": event["created_at"],
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


state = rebuild_position(aggregate_id) if kind == "position" else rebuild_order(aggregate_id)
print(json.dumps(state, default=str))
