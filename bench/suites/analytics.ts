/**
 * Analytics on a trading log of 1M events (200k with --quick): the book at the middle of
 * the log, and the performance report against one unfiltered keyset scan of the same file,
 * interleaved in the same run. The log is a realistic mix (five tickers trading at once;
 * price updates the bulk, alerts, orders, fills, risk checks around each position), not one
 * event type repeated: analytics reads a subset of types and that has to be measured as it is.
 */
import { join } from 'node:path';
import { UuidV7Generator, type PreparedEvent } from '../../src-core';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { loadBook, loadReport } from '../../src-plugins/analytics';
import { median, timeMsAsync, type BenchContext, type Figures } from '../lib/figures';
import { T0 } from '../lib/fixtures';

const LANES = 5;
const CYCLE = 200;
/** One event per second of log time. */
const STEP_MS = 1000;

const meta = (correlation: string) => ({ source: 'bench', correlation_id: correlation, causation_id: null, user_id: null, version: '1.0' });

/** Event `i` of the log: lane i % 5 trades one ticker in cycles of 200 events (a position from alert to close). */
export function tradingEvent(i: number, ids: UuidV7Generator): PreparedEvent {
  const lane = i % LANES;
  const j = Math.floor(i / LANES);
  const c = Math.floor(j / CYCLE);
  const k = j % CYCLE;
  const ticker = `TK${lane}`;
  const pos = `b-pos-${lane}-${c}`;
  const alert = `b-al-${lane}-${c}`;
  const sig = `b-sig-${lane}-${c}`;
  const entryOrder = `b-ord-${lane}-${c}-in`;
  const exitOrder = `b-ord-${lane}-${c}-out`;
  const base = 10 + lane + ((c * 7) % 13) / 10;
  const short = c % 3 === 2;
  const side = short ? 'short' : 'long';
  const at = T0 + i * STEP_MS;
  const e = (event_type: string, aggregate_type: string, aggregate_id: string, payload: Record<string, unknown>): PreparedEvent => ({
    event_id: ids.next(at),
    event_type,
    aggregate_type,
    aggregate_id,
    payload,
    metadata: meta(sig),
    created_at: at,
  });
  const price = (n: number) => Math.round((base + Math.sin((c * CYCLE + n) / 9) * 0.4) * 100) / 100;
  switch (k) {
    case 0:
      return e('ALERT_RECEIVED', 'alert', alert, { alert_id: alert, ticker, headline: 'catalyst', source: 'bench' });
    case 1:
      return e('ALERT_DECISION_MADE', 'alert', alert, {
        alert_id: alert,
        decision: 'trade',
        score: 0.8,
        min_score_threshold: 0.65,
        reason_code: 'score_passed',
        signal_id: sig,
      });
    case 2:
      return e('SIGNAL_GENERATED', 'signal', sig, {
        signal_id: sig,
        ticker,
        action: short ? 'short' : 'buy',
        confidence: 0.8,
        source_alert_id: alert,
      });
    case 3:
      return e('RISK_CHECK_PASSED', 'risk', 'b-risk', { check: 'max_position_size', subject: sig, value: 2000, limit: 12000 });
    case 4:
      return e('ORDER_SUBMITTED', 'order', entryOrder, {
        order_id: entryOrder,
        signal_id: sig,
        ticker,
        side: short ? 'short' : 'buy',
        quantity: 200,
        order_type: 'market',
      });
    case 5:
      return e('ORDER_ACCEPTED', 'order', entryOrder, { order_id: entryOrder });
    case 6:
      return e('ORDER_PARTIALLY_FILLED', 'order', entryOrder, {
        order_id: entryOrder,
        filled_quantity: 100,
        filled_price: base,
        commission: 0.5,
        trade_id: `${entryOrder}-1`,
      });
    case 7:
      return e('POSITION_OPENED', 'position', pos, {
        position_id: pos,
        ticker,
        side,
        quantity: 100,
        entry_price: base,
        signal_id: sig,
        commission: 0.5,
        trade_id: `${entryOrder}-1`,
      });
    case 8:
      return e('ORDER_FILLED', 'order', entryOrder, {
        order_id: entryOrder,
        filled_quantity: 200,
        filled_price: base + 0.005,
        commission: 0.5,
        last_fill_quantity: 100,
        last_fill_price: base + 0.01,
        trade_id: `${entryOrder}-2`,
      });
    case 9:
      return e('POSITION_INCREASED', 'position', pos, {
        position_id: pos,
        quantity: 100,
        price: base + 0.01,
        commission: 0.5,
        trade_id: `${entryOrder}-2`,
      });
    case 190:
      return e('ORDER_SUBMITTED', 'order', exitOrder, {
        order_id: exitOrder,
        ticker,
        side: short ? 'cover' : 'sell',
        quantity: 200,
        order_type: 'market',
      });
    case 191:
      return e('ORDER_ACCEPTED', 'order', exitOrder, { order_id: exitOrder });
    case 192:
      return e('ORDER_PARTIALLY_FILLED', 'order', exitOrder, {
        order_id: exitOrder,
        filled_quantity: 80,
        filled_price: price(k),
        commission: 0.4,
        trade_id: `${exitOrder}-1`,
      });
    case 193:
      return e('POSITION_REDUCED', 'position', pos, {
        position_id: pos,
        quantity: 80,
        price: price(k),
        commission: 0.4,
        trade_id: `${exitOrder}-1`,
      });
    case 194:
      return e('ORDER_FILLED', 'order', exitOrder, {
        order_id: exitOrder,
        filled_quantity: 200,
        filled_price: price(k),
        commission: 0.6,
        last_fill_quantity: 120,
        last_fill_price: price(k),
        trade_id: `${exitOrder}-2`,
      });
    case 195:
      return e('POSITION_CLOSED', 'position', pos, {
        position_id: pos,
        ticker,
        side,
        exit_reason: c % 2 ? 'stop_loss' : 'take_profit',
        exit_price: price(k),
        quantity: 120,
        commission: 0.6,
        trade_id: `${exitOrder}-2`,
      });
    case 196:
      return e('ALERT_RECEIVED', 'alert', `${alert}-x`, { alert_id: `${alert}-x`, ticker, headline: 'noise', source: 'bench' });
    case 197:
      return e('ALERT_DECISION_MADE', 'alert', `${alert}-x`, {
        alert_id: `${alert}-x`,
        decision: 'skip',
        score: 0.4,
        min_score_threshold: 0.65,
        reason_code: 'score_below_threshold',
      });
    case 198:
      return e('ALERT_SKIPPED', 'alert', `${alert}-x`, {
        alert_id: `${alert}-x`,
        reason: 'score 0.4 < 0.65',
        reason_code: 'score_below_threshold',
      });
    case 199:
      return e('RISK_CHECK_FAILED', 'risk', 'b-risk', {
        check: 'max_open_positions',
        subject: `${sig}-x`,
        value: 5,
        limit: 5,
        reason_code: 'too_many_positions',
      });
    default:
      if (k % 40 === 20)
        return e('POSITION_STOP_LOSS_MODIFIED', 'position', pos, {
          position_id: pos,
          new_stop_loss_price: base * (short ? 1.03 : 0.97),
          reason: 'trail',
        });
      if (k % 25 === 0)
        return e('ALERT_RECEIVED', 'alert', `${alert}-${k}`, { alert_id: `${alert}-${k}`, ticker, headline: 'more news', source: 'bench' });
      return e('POSITION_PRICE_UPDATED', 'position', pos, {
        position_id: pos,
        new_price: price(k),
        new_unrealized_pnl: 0,
        price_source: 'bar_close',
      });
  }
}

function prefillTrading(file: string, count: number): void {
  const store = SqliteEventStore.open({ file, durability: 'off' });
  const ids = new UuidV7Generator();
  const batch = 10_000;
  for (let start = 0; start < count; start += batch) {
    const events: PreparedEvent[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) events.push(tradingEvent(i, ids));
    store.appendBatch(events);
  }
  store.connection.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

async function keysetScan(store: SqliteEventStore): Promise<number> {
  let after: number | undefined;
  let rows = 0;
  for (;;) {
    const page = await store.readPage({}, after === undefined ? { limit: 5000 } : { after, limit: 5000 });
    rows += page.records.length;
    if (page.next === null) return rows;
    after = page.next;
  }
}

export async function analyticsSuite(ctx: BenchContext): Promise<Figures> {
  const size = ctx.quick ? 200_000 : 1_000_000;
  const label = size >= 1_000_000 ? '1m' : `${size / 1000}k`;
  const file = join(ctx.dir, 'analytics.db');
  ctx.log(`prefilling a ${size.toLocaleString('en-US')}-event trading log for analytics`);
  prefillTrading(file, size);
  const store = SqliteEventStore.open({ file, readOnly: true });
  // The middle of the log, half-way through a cycle: every lane has a position open.
  const mid = T0 + (Math.floor(size / 2) + (LANES * CYCLE) / 2) * STEP_MS;
  const trials = ctx.quick ? 2 : 3;
  const book: number[] = [];
  const bookCpu: number[] = [];
  const scan: number[] = [];
  const report: number[] = [];
  let open = -1;
  let trades = -1;
  let scanned = 0;
  try {
    for (let t = 0; t < trials; t++) {
      const cpu = process.cpuUsage();
      book.push(await timeMsAsync(async () => (open = (await loadBook(store, mid)).positions.length)));
      const used = process.cpuUsage(cpu);
      bookCpu.push((used.user + used.system) / 1000);
      scan.push(await timeMsAsync(async () => (scanned = await keysetScan(store))));
      report.push(await timeMsAsync(async () => (trades = (await loadReport(store)).trades)));
    }
  } finally {
    store.close();
  }
  if (open !== LANES || scanned !== size || trades <= 0)
    throw new Error(`analytics bench read wrong figures: ${open} open, ${scanned} scanned, ${trades} trades`);
  const s = median(scan);
  const r = median(report);
  // The goal is stated for the 1M log; a quick run reports under the same key with its size in the note.
  return {
    'analytics.book_asof_1m_ms': {
      value: median(book),
      unit: 'ms',
      goal: '<= 1000 ms',
      note: `book at the middle of a ${label}-event log (${open} positions open); CPU ${Math.round(median(bookCpu))} ms (wall time on a loaded machine is mostly waiting)`,
    },
    'analytics.report_1m_vs_scan': {
      value: r,
      unit: 'ms',
      ratio: r / s,
      baseline: 'one keyset scan',
      goal: '<= 2',
      note: `${trades} trades; the scan: ${Math.round(s)} ms over ${label} events`,
    },
  };
}
