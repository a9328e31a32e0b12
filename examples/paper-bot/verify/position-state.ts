import { DEFAULT_POSITION_WINDOWS } from 'catalyst-events/plugins/position';
import type { LivePosition } from '../positions/position-manager';

/** The plugin's state keeps the last N entries of each history (its windows); the bot keeps all. */
const recent = <T>(list: readonly T[], window: number): T[] => list.slice(-window);
const { priceHistory, history } = DEFAULT_POSITION_WINDOWS;

/**
 * The bot's position in the position plugin's state shape (src-plugins/position/reducer.ts),
 * so the rebuilder can compare the two key by key. Only the bot's working notes
 * (market price, best price, exit in progress) are left out: the log does not know them.
 * Histories are compared over the plugin's windows.
 */
export function positionStateOf(p: LivePosition): Record<string, unknown> {
  return {
    position_id: p.position_id,
    status: p.status,
    price_history: recent(p.price_history, priceHistory),
    // The seed's state has it and never fills it.
    pnl_history: [],
    ticker: p.ticker,
    side: p.side,
    quantity: p.quantity,
    entry_price: p.entry_price,
    current_price: p.current_price,
    stop_loss: p.stop_loss,
    take_profit: p.take_profit,
    opened_at: p.opened_at,
    unrealized_pnl: p.unrealized_pnl,
    exit_price: p.exit_price,
    exit_reason: p.exit_reason,
    realized_pnl: p.realized_pnl,
    hold_duration_seconds: p.hold_duration_seconds,
    closed_at: p.closed_at,
    signal_id: p.signal_id,
    order_ids: recent(p.order_ids, history),
    trade_ids: recent(p.trade_ids, history),
    open_quantity: p.open_quantity,
    cost_basis: p.cost_basis,
    entry_cost_total: p.entry_cost_total,
    fees: p.fees,
    open_commission: p.open_commission,
    return_pct: p.return_pct,
    stop_loss_history: recent(p.stop_loss_history, history),
    take_profit_history: recent(p.take_profit_history, history),
    triggers: recent(p.triggers, history),
    fills: recent(p.fills, history),
    // The bot expects a clean history: any anomaly the reducer records is a difference.
    anomalies: [],
  };
}
