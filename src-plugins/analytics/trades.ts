/**
 * The trades blotter: one row per position, read off the fold, filtered and sorted. The
 * filters and sort are plain data (TradeQuery) so the CLI flags and the viewer's URL state
 * map onto the same thing.
 */
import { InvalidQueryError, NotInLogError } from './errors';
import type { AnalyticsFold } from './fold';
import type { LedgerPosition } from './ledger';
import type { TradeColumn, TradeRow } from './types';
import { TRADE_COLUMNS } from './columns';
import { iso, isoOrNull } from './values';

export { TRADE_COLUMNS } from './columns';

export type Outcome = 'won' | 'lost';

export interface TradeQuery {
  /** Any of these tickers (case-insensitive). */
  tickers?: readonly string[];
  side?: 'long' | 'short';
  /** won: net_pnl > 0; lost: net_pnl < 0 (break-even is neither). */
  outcome?: Outcome;
  exitReasons?: readonly string[];
  status?: 'open' | 'closed';
  runs?: readonly string[];
  /** Positions that were open at some time in [since, until] (Unix ms). */
  since?: number;
  until?: number;
  sort?: TradeColumn;
  /** Default ascending. */
  descending?: boolean;
}

export function tradeRow(fold: AnalyticsFold, p: LedgerPosition): TradeRow {
  const cutoff = fold.cutoff ?? p.openedAt;
  const open = p.status === 'open';
  return {
    position_id: p.id,
    ticker: p.ticker,
    side: p.side,
    peak_quantity: p.peakQty,
    avg_entry_price: p.entry,
    avg_exit_price: p.exitQty > 0 ? p.exitValue / p.exitQty : null,
    gross_pnl: p.realized + p.feesRealized,
    fees: p.feesRealized,
    net_pnl: p.realized,
    return_pct: open ? (p.entryCost > 0 ? (p.realized / p.entryCost) * 100 : null) : p.returnPct,
    opened_at: iso(p.openedAt),
    closed_at: isoOrNull(p.closedAt),
    hold_seconds: open ? Math.max(0, (cutoff - p.openedAt) / 1000) : p.holdSeconds,
    exit_reason: p.exitReason,
    status: open ? 'open' : 'closed',
    signal_id: p.signalId,
    alert_id: p.signalId === null ? null : (fold.signalAlert.get(p.signalId) ?? null),
    run_id: p.runId,
  };
}

/** Every position's row, in opening order. */
export function allTrades(fold: AnalyticsFold): TradeRow[] {
  const rows: TradeRow[] = [];
  for (const p of fold.positions()) rows.push(tradeRow(fold, p));
  return rows;
}

/**
 * Checks a query against what the log holds, so a typo says so instead of printing an
 * empty table: an unknown ticker or run is a NotInLogError.
 */
export function checkQuery(query: TradeQuery, rows: readonly TradeRow[]): void {
  if (query.sort !== undefined && !TRADE_COLUMNS.includes(query.sort)) throw new InvalidQueryError('sort', query.sort, TRADE_COLUMNS);
  if (query.side !== undefined && query.side !== 'long' && query.side !== 'short')
    throw new InvalidQueryError('side', query.side, ['long', 'short']);
  if (query.outcome !== undefined && query.outcome !== 'won' && query.outcome !== 'lost')
    throw new InvalidQueryError('outcome', query.outcome, ['won', 'lost']);
  if (query.status !== undefined && query.status !== 'open' && query.status !== 'closed')
    throw new InvalidQueryError('status', query.status, ['open', 'closed']);
  const known = (pick: (r: TradeRow) => string | null) => [...new Set(rows.map(pick).filter((v): v is string => v !== null))].sort();
  if (query.tickers?.length) {
    const tickers = known((r) => r.ticker);
    const upper = new Set(tickers.map((t) => t.toUpperCase()));
    for (const t of query.tickers) if (!upper.has(t.toUpperCase())) throw new NotInLogError('ticker', t, tickers);
  }
  if (query.runs?.length) {
    const runs = known((r) => r.run_id);
    for (const r of query.runs) if (!runs.includes(r)) throw new NotInLogError('run', r, runs);
  }
  if (query.exitReasons?.length) {
    // Exit reasons are a fixed vocabulary (the position plugin's) plus what writers add: accept any, but not a typo of none.
    const reasons = known((r) => r.exit_reason);
    for (const r of query.exitReasons) if (!reasons.includes(r)) throw new NotInLogError('exit reason', r, reasons);
  }
}

export function filterTrades(rows: readonly TradeRow[], query: TradeQuery): TradeRow[] {
  const tickers = query.tickers?.length ? new Set(query.tickers.map((t) => t.toUpperCase())) : null;
  const reasons = query.exitReasons?.length ? new Set(query.exitReasons) : null;
  const runs = query.runs?.length ? new Set(query.runs) : null;
  const since = query.since;
  const until = query.until;
  const out = rows.filter((r) => {
    if (tickers && !tickers.has((r.ticker ?? '').toUpperCase())) return false;
    if (query.side && r.side !== query.side) return false;
    if (query.outcome === 'won' && !(r.net_pnl > 0)) return false;
    if (query.outcome === 'lost' && !(r.net_pnl < 0)) return false;
    if (query.status && r.status !== query.status) return false;
    if (reasons && (r.exit_reason === null || !reasons.has(r.exit_reason))) return false;
    if (runs && (r.run_id === null || !runs.has(r.run_id))) return false;
    // Overlap with [since, until]: opened before its end, and still open or closed after its start.
    if (until !== undefined && r.opened_at !== null && Date.parse(r.opened_at) > until) return false;
    if (since !== undefined && r.closed_at !== null && Date.parse(r.closed_at) < since) return false;
    return true;
  });
  if (query.sort) sortTrades(out, query.sort, query.descending ?? false);
  return out;
}

/** Sorts in place by one column; nulls last either way; ties keep opening order. */
export function sortTrades(rows: TradeRow[], column: TradeColumn, descending = false): TradeRow[] {
  const dir = descending ? -1 : 1;
  const indexed = rows.map((row, i) => ({ row, i }));
  indexed.sort((a, b) => {
    const x = a.row[column];
    const y = b.row[column];
    if (x === null && y === null) return a.i - b.i;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c === 0 ? a.i - b.i : c * dir;
  });
  indexed.forEach((e, i) => (rows[i] = e.row));
  return rows;
}

function csvCell(value: TradeRow[TradeColumn] | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with the JSON's column names and raw values (times ISO-8601 UTC). */
export function tradesCsv(rows: readonly TradeRow[]): string {
  const lines = [TRADE_COLUMNS.join(',')];
  for (const r of rows) lines.push(TRADE_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
