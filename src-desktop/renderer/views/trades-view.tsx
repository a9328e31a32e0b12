import type { TradeColumn, TradeRow, TradesView as Trades } from '../../shared/api';
import { errorText, getApi } from '../api';
import { Card, Empty, ErrorBox, Link, Loading, Num, TimeInput, useLive } from '../components/common';
import { displayZone, formatHold, formatMoney, formatPercent, formatQuantity, formatTick, formatTimeIn, zoneCaption } from '../display';
import { navigate, type TradesQuery } from '../router';
import { useEffect } from 'preact/hooks';

interface Column {
  key: TradeColumn;
  label: string;
  numeric?: boolean;
  cell: (r: TradeRow) => preact.ComponentChildren;
}

const time = (iso: string | null) => (iso === null ? '–' : formatTimeIn(iso, displayZone(), { zone: false }));
const pnlClass = (v: number) => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

const COLUMNS: Column[] = [
  {
    key: 'position_id',
    label: 'Position',
    cell: (r) => (
      <Link to={{ view: 'position', positionId: r.position_id }} class="mono">
        {r.position_id}
      </Link>
    ),
  },
  { key: 'ticker', label: 'Ticker', cell: (r) => <strong>{r.ticker ?? '–'}</strong> },
  { key: 'side', label: 'Side', cell: (r) => r.side ?? '–' },
  {
    key: 'peak_quantity',
    label: 'Peak qty',
    numeric: true,
    cell: (r) => <Num text={formatQuantity(r.peak_quantity)} raw={r.peak_quantity} />,
  },
  {
    key: 'avg_entry_price',
    label: 'Avg entry',
    numeric: true,
    cell: (r) => <Num text={formatTick(r.avg_entry_price)} raw={r.avg_entry_price} />,
  },
  {
    key: 'avg_exit_price',
    label: 'Avg exit',
    numeric: true,
    cell: (r) => <Num text={formatTick(r.avg_exit_price)} raw={r.avg_exit_price} />,
  },
  {
    key: 'gross_pnl',
    label: 'Gross P&L',
    numeric: true,
    cell: (r) => <Num class={pnlClass(r.gross_pnl)} text={formatMoney(r.gross_pnl, { sign: 'always' })} raw={r.gross_pnl} />,
  },
  { key: 'fees', label: 'Fees', numeric: true, cell: (r) => <Num text={formatMoney(r.fees)} raw={r.fees} /> },
  {
    key: 'net_pnl',
    label: 'Net P&L',
    numeric: true,
    cell: (r) => <Num class={`net ${pnlClass(r.net_pnl)}`} text={formatMoney(r.net_pnl, { sign: 'always' })} raw={r.net_pnl} />,
  },
  {
    key: 'return_pct',
    label: 'Return',
    numeric: true,
    cell: (r) => <Num class={pnlClass(r.return_pct ?? 0)} text={formatPercent(r.return_pct, 2, 'always')} raw={r.return_pct} />,
  },
  { key: 'opened_at', label: 'Opened', cell: (r) => <span class="mono">{time(r.opened_at)}</span> },
  { key: 'closed_at', label: 'Closed', cell: (r) => <span class="mono">{time(r.closed_at)}</span> },
  { key: 'hold_seconds', label: 'Hold', numeric: true, cell: (r) => formatHold(r.hold_seconds) },
  { key: 'exit_reason', label: 'Exit reason', cell: (r) => r.exit_reason ?? '–' },
  { key: 'status', label: 'Status', cell: (r) => <span class={`pill st-${r.status}`}>{r.status}</span> },
  { key: 'run_id', label: 'Run', cell: (r) => r.run_id ?? '–' },
];

function Select({
  id,
  label,
  value,
  options,
  onChange,
  any = 'any',
}: {
  id: string;
  label: string;
  value: string;
  options: string[];
  onChange: (v: string | undefined) => void;
  any?: string;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function Filters({ query, data, set }: { query: TradesQuery; data: Trades | null; set: (patch: Partial<TradesQuery>) => void }) {
  const zone = displayZone();
  const active = Object.keys(query).some((k) => k !== 'sort' && k !== 'descending');
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()} id="trade-filters">
      <Select
        id="trades-ticker"
        label="Ticker"
        value={query.tickers?.[0] ?? ''}
        options={data?.tickers ?? query.tickers ?? []}
        onChange={(v) => set({ tickers: v ? [v] : undefined })}
      />
      <Select
        id="trades-side"
        label="Side"
        value={query.side ?? ''}
        options={['long', 'short']}
        onChange={(v) => set({ side: v as TradesQuery['side'] })}
      />
      <Select
        id="trades-outcome"
        label="Won / lost"
        value={query.outcome ?? ''}
        options={['won', 'lost']}
        onChange={(v) => set({ outcome: v as TradesQuery['outcome'] })}
      />
      <Select
        id="trades-exit"
        label="Exit reason"
        value={query.exitReasons?.[0] ?? ''}
        options={data?.exitReasons ?? []}
        onChange={(v) => set({ exitReasons: v ? [v] : undefined })}
      />
      <Select
        id="trades-status"
        label="Status"
        value={query.status ?? ''}
        options={['open', 'closed']}
        onChange={(v) => set({ status: v as TradesQuery['status'] })}
      />
      <Select
        id="trades-run"
        label="Run"
        value={query.runs?.[0] ?? ''}
        options={data?.runs ?? []}
        onChange={(v) => set({ runs: v ? [v] : undefined })}
      />
      <label class="field">
        <span>Open between ({zone.name})</span>
        <TimeInput id="trades-since" value={query.since} onChange={(ms) => set({ since: ms })} />
      </label>
      <label class="field">
        <span>and ({zone.name})</span>
        <TimeInput id="trades-until" value={query.until} onChange={(ms) => set({ until: ms })} />
      </label>
      {active && (
        <button
          type="button"
          class="btn ghost"
          id="trades-clear"
          onClick={() =>
            navigate({ view: 'trades', query: query.sort ? { sort: query.sort, ...(query.descending ? { descending: true } : {}) } : {} })
          }
        >
          Clear
        </button>
      )}
    </form>
  );
}

function Summary({ rows, total }: { rows: TradeRow[]; total: number }) {
  const closed = rows.filter((r) => r.status === 'closed');
  const net = rows.reduce((s, r) => s + r.net_pnl, 0);
  const won = closed.filter((r) => r.net_pnl > 0).length;
  const lost = closed.filter((r) => r.net_pnl < 0).length;
  return (
    <p class="muted" id="trades-summary">
      {rows.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} trades · net realized{' '}
      <Num class={pnlClass(net)} text={formatMoney(net, { sign: 'always' })} raw={net} /> · {won} won / {lost} lost
    </p>
  );
}

export function TradesView({ query }: { query: TradesQuery }) {
  const zone = displayZone();
  const data = useLive(() => getApi().trades({ ...query, zone: zone.name }), [JSON.stringify(query), zone.name]);
  const set = (patch: Partial<TradesQuery>) => {
    const next: TradesQuery = { ...query, ...patch };
    for (const [k, v] of Object.entries(next)) if (v === undefined) delete (next as Record<string, unknown>)[k];
    navigate({ view: 'trades', query: next });
  };
  // A filter the log cannot answer (a ticker it does not hold) resets, saying why.
  const error = data.state === 'error' ? data.error : null;
  useEffect(() => {
    if (!error) return;
    const code = String((error as Error).message ?? '').split(':')[0];
    if (code === 'NOT_IN_LOG' || code === 'INVALID_ANALYTICS_QUERY' || code === 'BAD_QUERY') {
      navigate({ view: 'trades', query: {} }, true, `${errorText(error)} — the filter was reset.`);
    }
  }, [error]);
  const sortBy = (key: TradeColumn) => {
    const descending = query.sort === key ? !query.descending : key.endsWith('pnl') || key === 'return_pct';
    set({ sort: key, descending: descending || undefined });
  };
  const ready = data.state === 'ready' ? data.value : null;
  return (
    <div class="page wide">
      <header class="page-head">
        <h1>Trades</h1>
        <p class="muted">One row per position · {zoneCaption(zone)} · click a row for its P&amp;L chart and trade story</p>
      </header>
      <Filters query={query} data={ready} set={set} />
      {data.state === 'loading' && <Loading what="trades" />}
      {data.state === 'error' && <ErrorBox error={data.error} />}
      {ready && (
        <Card>
          <Summary rows={ready.rows} total={ready.total} />
          {ready.total === 0 ? (
            <Empty>No trades in this log yet: positions appear here as the bot opens them.</Empty>
          ) : ready.rows.length === 0 ? (
            <Empty>No trade matches these filters.</Empty>
          ) : (
            <div class="table-scroll">
              <table class="table trades" id="trades-table">
                <thead>
                  <tr>
                    {COLUMNS.map((c) => (
                      <th
                        key={c.key}
                        class={c.numeric ? 'num' : ''}
                        aria-sort={query.sort === c.key ? (query.descending ? 'descending' : 'ascending') : 'none'}
                      >
                        <button type="button" class="sort" data-col={c.key} onClick={() => sortBy(c.key)}>
                          {c.label}
                          {c.key.endsWith('_at') ? ` (${zone.name})` : ''}
                          {query.sort === c.key ? (query.descending ? ' ▼' : ' ▲') : ''}
                        </button>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {ready.rows.map((r) => (
                    <tr
                      key={r.position_id}
                      class="clickable"
                      data-position-id={r.position_id}
                      title="Open its P&L chart and trade story"
                      onClick={() => navigate({ view: 'position', positionId: r.position_id })}
                    >
                      {COLUMNS.map((c) => (
                        <td key={c.key} class={`col-${c.key}${c.numeric ? ' num' : ''}`}>
                          {c.cell(r)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
