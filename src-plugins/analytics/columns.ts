/** The blotter's columns, in order: the `trades --json` keys and the CSV header (a contract). */
import type { TradeColumn } from './types';

export const TRADE_COLUMNS: readonly TradeColumn[] = [
  'position_id',
  'ticker',
  'side',
  'peak_quantity',
  'avg_entry_price',
  'avg_exit_price',
  'gross_pnl',
  'fees',
  'net_pnl',
  'return_pct',
  'opened_at',
  'closed_at',
  'hold_seconds',
  'exit_reason',
  'status',
  'signal_id',
  'alert_id',
  'run_id',
];
