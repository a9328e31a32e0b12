import type { LivePosition } from '../positions/position-manager';

/**
 * The bot's position in the position plugin's state shape (src-plugins/position/reducer.ts),
 * so the rebuilder can compare the two key by key. Only the bot's working notes
 * (market price, best price, exit in progress) are left out: the log does not know them.
 */
export function positionStateOf(p: LivePosition): Record<string, unknown> {
  return {
    position_id: p.position_id,
    status: p.status,
    price_history: p.price_history,
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
    order_ids: p.order_ids,
    trade_ids: p.trade_ids,
    open_quantity: p.open_quantity,
    cost_basis: p.cost_basis,
    entry_cost_total: p.entry_cost_total,
    fees: p.fees,
    open_commission: p.open_commission,
    return_pct: p.return_pct,
    stop_loss_history: p.stop_loss_history,
    take_profit_history: p.take_profit_history,
    triggers: p.triggers,
    fills: p.fills,
    // The bot expects a clean history: any anomaly the reducer records is a difference.
    anomalies: [],
  };
}
