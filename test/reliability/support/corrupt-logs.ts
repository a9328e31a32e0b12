import { closeSync, openSync, readFileSync, statSync, ftruncateSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { NewEvent } from '../../../src-core/events/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { prepared } from '../../support/prepared-event';

export const T0 = Date.UTC(2025, 0, 6, 14, 30);

/**
 * A small but real trade log written through the store: per trade an alert, a signal, a
 * risk check, an order (submitted, accepted, filled) and a position (opened, moved, closed),
 * all under the signal's correlation id. Returns the trades' ids.
 */
export function writeTrades(
  file: string,
  trades: number,
  journal: 'wal' | 'delete' = 'wal',
): { signal: string; order: string; position: string; alert: string }[] {
  const store = SqliteEventStore.open({ file });
  const out: { signal: string; order: string; position: string; alert: string }[] = [];
  let t = T0;
  for (let n = 0; n < trades; n++) {
    const ids = { alert: `alert-${n}`, signal: `signal-${n}`, order: `order-${n}`, position: `position-${n}` };
    const meta = { source: 'reliability-bot', correlation_id: ids.signal };
    let cause: string | null = null;
    const write = (event_type: string, aggregate_type: string, aggregate_id: string, payload: Record<string, unknown>) => {
      t += 1000;
      const e: NewEvent = { event_type, aggregate_type, aggregate_id, payload, created_at: t, metadata: { ...meta, causation_id: cause } };
      cause = store.append(prepared(e)).event_id;
    };
    write('ALERT_RECEIVED', 'alert', ids.alert, {
      alert_id: ids.alert,
      ticker: 'ACME',
      headline: 'ACME wins approval',
      source: 'wire',
      received_at: t,
    });
    write('SIGNAL_GENERATED', 'signal', ids.signal, {
      signal_id: ids.signal,
      ticker: 'ACME',
      action: 'buy',
      confidence: 0.9,
      reasoning: 'approval',
      timeframe: 'intraday',
      source_alert_id: ids.alert,
    });
    write('RISK_CHECK_PASSED', 'risk', 'book', { check: 'max_position', subject: ids.signal, value: 1000, limit: 5000, reason: 'ok' });
    write('ORDER_SUBMITTED', 'order', ids.order, {
      order_id: ids.order,
      signal_id: ids.signal,
      ticker: 'ACME',
      side: 'buy',
      quantity: 100,
      order_type: 'market',
      limit_price: null,
      stop_price: null,
      extended_hours: false,
    });
    write('ORDER_ACCEPTED', 'order', ids.order, { order_id: ids.order, broker_order_id: `b-${n}`, accepted_at: t });
    write('ORDER_FILLED', 'order', ids.order, {
      order_id: ids.order,
      filled_quantity: 100,
      filled_price: 10,
      slippage: 0,
      fill_time: t,
      liquidity: 'taker',
    });
    write('POSITION_OPENED', 'position', ids.position, {
      position_id: ids.position,
      ticker: 'ACME',
      side: 'long',
      quantity: 100,
      entry_price: 10,
      signal_id: ids.signal,
      stop_loss_price: 9,
      take_profit_price: 12,
      cost_basis: 1000,
    });
    write('POSITION_PRICE_UPDATED', 'position', ids.position, {
      position_id: ids.position,
      old_price: 10,
      new_price: 10.5,
      old_unrealized_pnl: 0,
      new_unrealized_pnl: 50,
      price_source: 'sim',
    });
    write('POSITION_CLOSED', 'position', ids.position, {
      position_id: ids.position,
      ticker: 'ACME',
      side: 'long',
      exit_reason: 'take_profit',
      exit_price: 10.5,
      entry_price: 10,
      quantity: 100,
      realized_pnl: 50,
      hold_duration_seconds: 60,
      return_pct: 5,
    });
    out.push(ids);
  }
  store.close();
  if (journal === 'delete') setJournalMode(file, 'delete');
  return out;
}

export function setJournalMode(file: string, mode: 'wal' | 'delete'): void {
  const db = new Database(file);
  db.pragma(`journal_mode = ${mode.toUpperCase()}`);
  db.close();
}

/** A bad row the way a broken writer, a disk error or a hand edit leaves it. */
export interface BadRow {
  label: string;
  event_id: string;
  event_type: string | null;
  aggregate_type: string;
  aggregate_id: string;
  payload: string | Buffer;
  metadata: string | null;
  created_at: number | string;
  sequence_number: number | null;
  /** JSON.parse fails on payload or metadata (the store flags the row corrupt). */
  unparsable: boolean;
}

let n = 0;
const uuid = () => `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`;

/** Rows no correct writer produces, appended after the good trades with raw SQL. */
export function badRows(trade: { signal: string; order: string; position: string; alert: string }): BadRow[] {
  const meta = JSON.stringify({ source: 'hand-edit', correlation_id: trade.signal, causation_id: null, user_id: null, version: '1.0' });
  const row = (label: string, fields: Partial<BadRow>): BadRow => ({
    label,
    event_id: uuid(),
    event_type: 'ORDER_CANCELLED',
    aggregate_type: 'order',
    aggregate_id: trade.order,
    payload: '{}',
    metadata: meta,
    created_at: T0 + 10_000_000 + n * 1000,
    sequence_number: null,
    unparsable: false,
    ...fields,
  });
  return [
    row('payload JSON cut short', { payload: '{"order_id": "x", "reason": "us', unparsable: true }),
    row('metadata JSON garbage', {
      aggregate_type: 'position',
      aggregate_id: trade.position,
      event_type: 'POSITION_PRICE_UPDATED',
      payload: '{"position_id":"p","new_price":11,"new_unrealized_pnl":100}',
      metadata: '{not json',
      unparsable: true,
    }),
    row('payload is an array', {
      aggregate_type: 'alert',
      aggregate_id: trade.alert,
      event_type: 'ALERT_SCORED',
      payload: '[1,2,3]',
      unparsable: true,
    }),
    row('payload is a JSON string', {
      aggregate_type: 'alert',
      aggregate_id: trade.alert,
      event_type: 'ALERT_SCORED',
      payload: '"just text"',
      unparsable: true,
    }),
    row('payload is a blob', {
      aggregate_type: 'alert',
      aggregate_id: trade.alert,
      event_type: 'ALERT_SKIPPED',
      payload: Buffer.from([0, 255, 1]),
      unparsable: true,
    }),
    row('required keys missing', { event_type: 'ORDER_FILLED', payload: '{}' }),
    row('wrong value types', {
      event_type: 'ORDER_PARTIALLY_FILLED',
      payload: '{"order_id": 5, "filled_quantity": "ten", "filled_price": null}',
    }),
    row('unknown event type on a known aggregate', { event_type: 'MARTIAN_LANDED', payload: '{"crater": "Jezero"}' }),
    row('unknown aggregate type', {
      aggregate_type: 'ufo',
      aggregate_id: 'ufo-1',
      event_type: 'UFO_SIGHTED',
      payload: '{"where": "roswell"}',
    }),
    row('metadata NULL (seed files have it)', { event_type: 'ORDER_EXPIRED', payload: '{"order_id": "x"}', metadata: null }),
    row('correlation id is a number', {
      aggregate_type: 'risk',
      aggregate_id: 'book',
      event_type: 'CIRCUIT_BREAKER_RESET',
      payload: '{}',
      metadata: '{"source":"x","correlation_id":42,"version":"1.0"}',
    }),
    row('created_at is text', {
      aggregate_type: 'risk',
      aggregate_id: 'book',
      event_type: 'CIRCUIT_BREAKER_TRIGGERED',
      payload: '{"reason":"x"}',
      created_at: 'yesterday',
    }),
    row('payload nested deeper than SQLite JSON allows', {
      aggregate_type: 'alert',
      aggregate_id: trade.alert,
      event_type: 'ALERT_SKIPPED',
      payload: JSON.stringify({ alert_id: 'a', reason: 'r', deep: JSON.parse('['.repeat(1100) + ']'.repeat(1100)) as unknown }),
    }),
  ];
}

/** Appends the rows with the next sequence numbers of their aggregates (NULL where asked: the seed allows it). */
export function insertBadRows(file: string, rows: readonly BadRow[]): void {
  const db = new Database(file);
  const next = db
    .prepare('SELECT COALESCE(MAX(sequence_number), 0) + 1 FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?')
    .pluck();
  const insert = db.prepare(
    'INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const r of rows) {
      const seq = r.label === 'metadata NULL (seed files have it)' ? null : (next.get(r.aggregate_type, r.aggregate_id) as number);
      r.sequence_number = seq;
      insert.run(r.event_id, r.event_type, r.aggregate_type, r.aggregate_id, r.payload, r.metadata, r.created_at, seq);
    }
  })();
  db.close();
}

/** Cuts the file to `fraction` of its size, as a copy interrupted mid-way would. */
export function truncateFile(file: string, fraction: number): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  ftruncateSync(fd, Math.floor((size * fraction) / 4096) * 4096 + 100);
  closeSync(fd);
}

export function writeNotSqlite(file: string): void {
  writeFileSync(file, 'order_id,ticker,side\nord-1,ACME,buy\n'.repeat(200));
}

/** Marks the file as written by a future version of catalyst-events. */
export function bumpSchemaVersion(file: string, version: number): void {
  const db = new Database(file);
  db.prepare("UPDATE catalyst_meta SET value = ? WHERE key = 'schema_version'").run(String(version));
  db.close();
}

export function bytes(file: string): Buffer {
  return readFileSync(file);
}
