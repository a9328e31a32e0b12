import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent, StoredEvent } from '../../src-core/events/types';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { SEED_PY } from '../support/seed-python';
import { prepareEvent } from '../../src-core/emitter/prepare';

export function tempDir(prefix = 'catalyst-desktop-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A store that writes with an explicit clock value per event, chained by correlation and causation. */
export class StoryWriter {
  private last: StoredEvent | null = null;
  constructor(
    readonly store: SqliteEventStore,
    readonly correlationId: string,
    public time: number,
  ) {}

  write(event_type: string, aggregate_type: string, aggregate_id: string, payload: Record<string, unknown>, stepMs = 1000): StoredEvent {
    this.time += stepMs;
    const event: NewEvent = {
      event_type,
      aggregate_type,
      aggregate_id,
      payload,
      created_at: this.time,
      metadata: {
        source: 'test-bot',
        correlation_id: this.correlationId,
        causation_id: this.last?.event_id ?? null,
      },
    };
    this.last = this.store.append(prepareEvent(event));
    return this.last;
  }
}

export interface TradeIds {
  alertId: string;
  signalId: string;
  orderId: string;
  positionId: string;
}

/**
 * One catalyst trade, alert to close, the way the bot logs it: a long that moves its stop up
 * once, then gets stopped out. Prices chosen so the P&L is easy to check by hand.
 */
export function writeTrade(store: SqliteEventStore, tag: string, startTime: number, ticker = 'ACME'): TradeIds {
  const ids: TradeIds = {
    alertId: `alert-${tag}`,
    signalId: `signal-${tag}`,
    orderId: `order-${tag}`,
    positionId: `position-${tag}`,
  };
  const w = new StoryWriter(store, ids.signalId, startTime);
  w.write('ALERT_RECEIVED', 'alert', ids.alertId, {
    alert_id: ids.alertId,
    ticker,
    headline: `${ticker} wins FDA approval`,
    source: 'newswire',
    received_at: startTime,
  });
  w.write('ALERT_CLASSIFIED', 'alert', ids.alertId, {
    alert_id: ids.alertId,
    ticker,
    catalyst_type: 'fda_approval',
    score: 0.86,
    keywords_matched: ['FDA', 'approval'],
    confidence: 0.9,
    sentiment_sources: ['keywords'],
    classification_version: '1.0',
  });
  w.write('ALERT_DECISION_MADE', 'alert', ids.alertId, {
    alert_id: ids.alertId,
    decision: 'trade',
    reasoning: 'score 0.86 above threshold 0.6',
    score: 0.86,
    min_score_threshold: 0.6,
    override_flags: [],
    signal_id: ids.signalId,
  });
  w.write('SIGNAL_GENERATED', 'signal', ids.signalId, {
    signal_id: ids.signalId,
    ticker,
    action: 'buy',
    confidence: 0.9,
    reasoning: 'FDA approval',
    timeframe: 'intraday',
    source_alert_id: ids.alertId,
  });
  w.write('RISK_CHECK_PASSED', 'risk', 'book-1', {
    check: 'max_position_size',
    subject: ids.signalId,
    value: 1000,
    limit: 5000,
    reason: 'within limit',
  });
  w.write('ORDER_SUBMITTED', 'order', ids.orderId, {
    order_id: ids.orderId,
    signal_id: ids.signalId,
    ticker,
    side: 'buy',
    quantity: 100,
    order_type: 'market',
    limit_price: null,
    stop_price: null,
    extended_hours: false,
  });
  w.write('ORDER_ACCEPTED', 'order', ids.orderId, { order_id: ids.orderId, broker_order_id: `b-${tag}`, accepted_at: startTime });
  w.write('ORDER_FILLED', 'order', ids.orderId, {
    order_id: ids.orderId,
    filled_quantity: 100,
    filled_price: 10,
    slippage: 0.01,
    fill_time: startTime,
    liquidity: 'taker',
  });
  w.write('POSITION_OPENED', 'position', ids.positionId, {
    position_id: ids.positionId,
    ticker,
    side: 'long',
    quantity: 100,
    entry_price: 10,
    signal_id: ids.signalId,
    stop_loss_price: 9.5,
    take_profit_price: 12,
    cost_basis: 1000,
  });
  let price = 10;
  for (const next of [10.2, 10.5, 10.8]) {
    w.write('POSITION_PRICE_UPDATED', 'position', ids.positionId, {
      position_id: ids.positionId,
      old_price: price,
      new_price: next,
      old_unrealized_pnl: (price - 10) * 100,
      new_unrealized_pnl: Math.round((next - 10) * 100 * 100) / 100,
      price_source: 'sim',
    });
    price = next;
  }
  w.write('POSITION_STOP_LOSS_MODIFIED', 'position', ids.positionId, {
    position_id: ids.positionId,
    old_stop_loss_price: 9.5,
    new_stop_loss_price: 10.3,
    reason: 'trailing',
  });
  w.write('POSITION_PRICE_UPDATED', 'position', ids.positionId, {
    position_id: ids.positionId,
    old_price: price,
    new_price: 10.25,
    old_unrealized_pnl: 80,
    new_unrealized_pnl: 25,
    price_source: 'sim',
  });
  w.write('STOP_LOSS_TRIGGERED', 'position', ids.positionId, { position_id: ids.positionId, trigger_price: 10.3, current_price: 10.25 });
  w.write('POSITION_CLOSED', 'position', ids.positionId, {
    position_id: ids.positionId,
    ticker,
    side: 'long',
    exit_reason: 'stop_loss',
    exit_price: 10.25,
    entry_price: 10,
    quantity: 100,
    realized_pnl: 25,
    hold_duration_seconds: 7,
    return_pct: 2.5,
  });
  return ids;
}

/** A file with `trades` complete trades plus a skipped alert, closed. */
export function writeTradeLog(file: string, trades = 3, startTime = Date.UTC(2025, 0, 6, 14, 30)): TradeIds[] {
  const store = SqliteEventStore.open({ file });
  try {
    const out: TradeIds[] = [];
    const tickers = ['ACME', 'BIOX', 'NOVA', 'ZETA', 'QRTZ'];
    for (let i = 0; i < trades; i++) out.push(writeTrade(store, String(i + 1), startTime + i * 60_000, tickers[i % tickers.length]));
    const skip = new StoryWriter(store, 'alert-skip', startTime + trades * 60_000);
    skip.write('ALERT_RECEIVED', 'alert', 'alert-skip', {
      alert_id: 'alert-skip',
      ticker: 'DULL',
      headline: 'DULL files 10-Q',
      source: 'newswire',
      received_at: 0,
    });
    skip.write('ALERT_SKIPPED', 'alert', 'alert-skip', { alert_id: 'alert-skip', reason: 'score 0.2 below threshold 0.6' });
    return out;
  } finally {
    store.close();
  }
}

/** Python's sqlite3 writing a file with the seed's own DDL and INSERT (no additions of ours); run as `python3 script.py FILE`. */
export const SEED_WRITER_PY = String.raw`${SEED_PY}
path = sys.argv[1]
conn = sqlite3.connect(path)
init_schema(conn)
c = conn.cursor()
t = 1736173800000
def emit(event_type, aggregate_type, aggregate_id, payload, correlation_id=None):
    global t
    t += 1000
    meta = {"source": "position_manager", "correlation_id": correlation_id, "causation_id": None, "user_id": None, "version": "1.0"}
    append(conn, {"event_type": event_type, "aggregate_type": aggregate_type, "aggregate_id": aggregate_id,
                  "payload": payload, "metadata": meta, "created_at": t})
emit("POSITION_OPENED", "position", "pos_123", {"position_id": "pos_123", "ticker": "AAPL", "side": "long", "quantity": 100, "entry_price": 150.0, "signal_id": "sig_1", "stop_loss_price": 145.0, "take_profit_price": 160.0, "cost_basis": 15000.0}, "sig_1")
for old, new in [(150.0, 151.0), (151.0, 152.5), (152.5, 149.0), (149.0, 146.0)]:
    emit("POSITION_PRICE_UPDATED", "position", "pos_123", {"position_id": "pos_123", "old_price": old, "new_price": new, "old_unrealized_pnl": (old - 150) * 100, "new_unrealized_pnl": (new - 150) * 100, "price_source": "alpaca"}, "sig_1")
emit("POSITION_CLOSED", "position", "pos_123", {"position_id": "pos_123", "ticker": "AAPL", "side": "long", "exit_reason": "stop_loss", "exit_price": 145.0, "entry_price": 150.0, "quantity": 100, "realized_pnl": -500.0, "hold_duration_seconds": 3600, "return_pct": -3.33}, "exit_1")
# A row whose payload is not JSON: the viewer must flag it, not fall over.
c.execute("INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          ("bad-row-1", "ORDER_FILLED", "order", "ord_9", "{not json", None, t + 5000, 1))
conn.commit()
conn.close()
`;
