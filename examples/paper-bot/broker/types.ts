export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';
export type TimeInForce = 'day' | 'gtc' | 'ioc';
export type OrderStatus = 'submitted' | 'accepted' | 'partially_filled' | 'filled' | 'rejected' | 'cancelled' | 'expired';
export type OrderPurpose = 'entry' | 'exit';

/** What the executor sends (the ORDER_SUBMITTED payload, plus the bot's bookkeeping). */
export interface OrderRequest {
  order_id: string;
  signal_id: string | null;
  ticker: string;
  side: OrderSide;
  quantity: number;
  order_type: OrderType;
  limit_price: number | null;
  stop_price: number | null;
  time_in_force: TimeInForce;
  extended_hours: boolean;
  /** The price the bot decided on: slippage is measured against it. */
  expected_price: number;
  /** A good-till time for entry limits (Unix ms), else null: day orders expire at the close. */
  expires_at: number | null;
  purpose: OrderPurpose;
  /** The position this order opens or closes. */
  position_id: string;
}

/** The broker's answer to a submission. */
export type SubmitResult =
  | { status: 'accepted'; order_id: string; broker_order_id: string }
  | { status: 'rejected'; order_id: string; reject_reason: RejectReason; broker_message: string };

export type RejectReason =
  'insufficient_buying_power' | 'halted' | 'invalid_price' | 'invalid_quantity' | 'unknown_symbol' | 'market_closed';

/** One execution (the ORDER_FILLED / ORDER_PARTIALLY_FILLED payload's inputs). */
export interface Fill {
  order_id: string;
  trade_id: string;
  ticker: string;
  side: OrderSide;
  filled_quantity: number;
  filled_price: number;
  commission: number;
  expected_price: number;
  liquidity: 'maker' | 'taker';
  fill_time: number;
}

/** What happened to working orders on a bar or at a deadline. */
export type BrokerUpdate = { kind: 'fill'; fill: Fill } | { kind: 'expired'; order_id: string; expired_at: number };
