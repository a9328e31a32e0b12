import type { EventRecord } from '../shared/api';
import * as display from './display';

/** Formatting for people: times (in the display zone, named), money, and a one-line story per event type. */

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `2025-01-06 14:31:00.000 UTC`: the display zone, named, 24-hour. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return display.formatTimeIn(ms, display.displayZone(), { millis: true });
}

/** The same without the zone, for table cells whose header names it. */
export function formatTimeBare(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return display.formatTimeIn(ms, display.displayZone(), { millis: true, zone: false });
}

export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return `${display.formatClockIn(ms)}.${pad(((ms % 1000) + 1000) % 1000, 3)}`;
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${ms} ms`;
  const s = abs / 1000;
  if (s < 60) return `${(ms / 1000).toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Anything but a finite number as text: objects as JSON, never "[object Object]". */
function asText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'object':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'symbol':
    case 'undefined':
      return String(value);
    case 'function':
      return '[function]';
  }
}

/** Up to `digits` decimals, no float noise, separators, a minus sign. */
export function formatNumber(value: unknown, digits = 4): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value === null || value === undefined ? '–' : asText(value);
  return display.formatQuantity(value, digits);
}

/** P&L money: `+25.00`, `−16.72`. */
export function formatMoney(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  return display.formatMoney(value, { sign: 'always' });
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function shortId(id: string): string {
  return id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id;
}

/** A price: two decimals, four where the tick needs them. */
const px = (value: unknown): string => (typeof value === 'number' ? display.formatTick(value) : v(value));

/** Payload values as short text. */
function v(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(v).join(', ');
  return JSON.stringify(value);
}

type Summarizer = (p: Record<string, unknown>, e: EventRecord) => string;

const risk: Summarizer = (p) => `${v(p.check)}: ${v(p.value)} vs limit ${v(p.limit)}${p.reason ? ` — ${v(p.reason)}` : ''}`;
const limit: Summarizer = (p) => `${p.ticker ? `${v(p.ticker)}: ` : ''}${v(p.value ?? p.realized_pnl_today)} vs limit ${v(p.limit)}`;
const breaker: Summarizer = (p) =>
  `${v(p.reason)}${p.until ? ` until ${typeof p.until === 'number' ? display.formatTimeIn(p.until) : v(p.until)}` : ''}`;

const SUMMARIES: Record<string, Summarizer> = {
  ALERT_RECEIVED: (p) => `${v(p.ticker)}: “${v(p.headline)}”${p.source ? ` (${v(p.source)})` : ''}`,
  ALERT_RATE_LIMITED: (p) => `${v(p.ticker)} rate limited: ${v(p.limit)} per ${v(p.window_seconds)} s`,
  ALERT_CLASSIFIED: (p) =>
    `${v(p.catalyst_type)}, score ${v(p.score)}, confidence ${v(p.confidence)}${Array.isArray(p.keywords_matched) && p.keywords_matched.length ? ` [${v(p.keywords_matched)}]` : ''}`,
  ALERT_SCORED: (p) => `score ${v(p.score)}`,
  ALERT_DECISION_MADE: (p) =>
    `${v(p.decision ?? '?').toUpperCase()} — ${v(p.reasoning)} (score ${v(p.score)} vs threshold ${v(p.min_score_threshold)})`,
  ALERT_SENT_DISCORD: (p) => `sent to ${v(p.channel)}`,
  ALERT_TRADE_EXECUTED: (p) => `trade executed: order ${v(p.order_id)}`,
  ALERT_SKIPPED: (p) => `skipped: ${v(p.reason)}`,
  SIGNAL_GENERATED: (p) =>
    `${v(p.action ?? '?').toUpperCase()} ${v(p.ticker)}, confidence ${v(p.confidence)}${p.reasoning ? ` — ${v(p.reasoning)}` : ''}`,
  // "limit at 3.04", never "limit limit 3.04": the type names the order, the price follows.
  ORDER_SUBMITTED: (p) =>
    `${v(p.side)} ${v(p.quantity)} ${v(p.ticker)} ${v(p.order_type)}${p.limit_price ? ` at ${v(p.limit_price)}` : ''}${p.stop_price ? `${p.limit_price ? ', stop' : ''} at ${v(p.stop_price)}` : ''}`,
  ORDER_ACCEPTED: (p) => `accepted by broker${p.broker_order_id ? ` (${v(p.broker_order_id)})` : ''}`,
  ORDER_PARTIALLY_FILLED: (p) =>
    `partial fill ${v(p.filled_quantity)} @ ${v(p.filled_price)}${p.cumulative_quantity !== undefined ? `, ${v(p.cumulative_quantity)} filled, ${v(p.leaves_quantity)} left` : ''}`,
  ORDER_FILLED: (p) =>
    `filled ${v(p.filled_quantity)} @ ${v(p.filled_price)}${typeof p.slippage === 'number' && p.slippage !== 0 ? `, slippage ${v(p.slippage)}` : ''}`,
  ORDER_REJECTED: (p) => `rejected: ${v(p.reject_reason)}${p.broker_message ? ` — ${v(p.broker_message)}` : ''}`,
  ORDER_CANCELLED: (p) => `cancelled${p.reason ? `: ${v(p.reason)}` : ''}`,
  ORDER_EXPIRED: () => 'expired',
  POSITION_OPENED: (p) =>
    `${v(p.side)} ${v(p.quantity)} ${v(p.ticker)} @ ${v(p.entry_price)}, stop ${v(p.stop_loss_price)}, target ${v(p.take_profit_price)}`,
  POSITION_PRICE_UPDATED: (p) =>
    `${p.old_price !== undefined ? `${px(p.old_price)} → ` : ''}${px(p.new_price)}, unrealized ${formatMoney(p.new_unrealized_pnl)}`,
  POSITION_INCREASED: (p) =>
    `scaled in ${v(p.quantity)} @ ${px(p.price)}${typeof p.new_quantity === 'number' ? `, now ${v(p.new_quantity)}` : ''}${typeof p.new_entry_price === 'number' ? ` at ${px(p.new_entry_price)} avg` : ''}`,
  POSITION_REDUCED: (p) =>
    `partial exit ${v(p.quantity)} @ ${px(p.price)}${typeof p.realized_pnl === 'number' ? `, realized ${formatMoney(p.realized_pnl)}` : ''}${typeof p.new_quantity === 'number' ? `, ${v(p.new_quantity)} left` : ''}`,
  POSITION_STOP_LOSS_MODIFIED: (p) =>
    `stop ${v(p.old_stop_loss_price)} → ${v(p.new_stop_loss_price)}${p.reason ? ` (${v(p.reason)})` : ''}`,
  POSITION_TAKE_PROFIT_MODIFIED: (p) =>
    `target ${v(p.old_take_profit_price)} → ${v(p.new_take_profit_price)}${p.reason ? ` (${v(p.reason)})` : ''}`,
  STOP_LOSS_TRIGGERED: (p) => `stop ${v(p.trigger_price)} hit at ${v(p.current_price)}`,
  TAKE_PROFIT_TRIGGERED: (p) => `target ${v(p.trigger_price)} hit at ${v(p.current_price)}`,
  POSITION_CLOSED: (p) =>
    `closed (${v(p.exit_reason)}) @ ${v(p.exit_price)}, realized ${formatMoney(p.realized_pnl)}${typeof p.return_pct === 'number' ? ` (${formatNumber(p.return_pct, 2)} %)` : ''}${typeof p.hold_duration_seconds === 'number' ? ` after ${formatDuration(p.hold_duration_seconds * 1000)}` : ''}`,
  RISK_CHECK_PASSED: risk,
  RISK_CHECK_FAILED: risk,
  POSITION_LIMIT_WARNING: limit,
  POSITION_LIMIT_EXCEEDED: limit,
  DAILY_LOSS_LIMIT_WARNING: limit,
  DAILY_LOSS_LIMIT_EXCEEDED: limit,
  CIRCUIT_BREAKER_TRIGGERED: breaker,
  CIRCUIT_BREAKER_RESET: breaker,
  PORTFOLIO_SNAPSHOT_CREATED: (p) => `cash ${formatMoney(p.cash)}, equity ${formatMoney(p.equity)}`,
  DAILY_PNL_CALCULATED: (p) => `${v(p.date)}: realized ${formatMoney(p.realized_pnl)}, unrealized ${formatMoney(p.unrealized_pnl)}`,
};

/** One line that says what happened, for lists and the trade story. */
export function summarize(record: EventRecord): string {
  if ('corrupt' in record) return `corrupt ${record.field}: ${record.error}`;
  const known = SUMMARIES[record.event_type];
  if (known) {
    try {
      return known(record.payload, record);
    } catch {
      // fall through to the generic line: a surprising payload must not break a list
    }
  }
  return Object.entries(record.payload)
    .slice(0, 4)
    .map(([key, value]) => `${key}=${v(value)}`)
    .join(' · ');
}

/** Turns SNAKE_CASE event types into readable titles. */
export function eventTitle(type: string): string {
  return type
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

const KNOWN_AGGREGATES = ['alert', 'signal', 'order', 'position', 'risk', 'portfolio'];
export function aggregateClass(type: string): string {
  return KNOWN_AGGREGATES.includes(type) ? `agg-${type}` : 'agg-other';
}

/** datetime-local input value <-> Unix ms, in the display zone. */
export function toLocalInput(ms: number | undefined): string {
  return display.toZoneInput(ms);
}

export function fromLocalInput(text: string): number | undefined {
  if (!text) return undefined;
  return display.fromZoneInput(text);
}
