import { useEffect, useRef, useState } from 'preact/hooks';
import type { BookView as BookData } from '../../shared/api';
import { getApi } from '../api';
import { Card, Empty, ErrorBox, Link, Loading, Num, Stat, TimeInput, useLive } from '../components/common';
import { displayZone, formatMoney, formatNumber, formatQuantity, formatRate, formatTick, formatTimeIn, zoneCaption } from '../display';
import { navigate } from '../router';

const MINUTE = 60_000;
const time = (iso: string | null) => (iso === null ? '–' : formatTimeIn(iso, displayZone(), { zone: false }));
const pnl = (v: number | null) => (
  <Num class={v === null || v === 0 ? '' : v > 0 ? 'pos' : 'neg'} text={formatMoney(v, { sign: 'always' })} raw={v} />
);

function limitText(value: unknown): string {
  return typeof value === 'number'
    ? formatNumber(value, { decimals: Number.isInteger(value) ? 0 : 2 })
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

/** The slider and the typed time move the same instant; the URL keeps it (a link opens the same book). */
function TimePicker({ asOf, first, last }: { asOf: number; first: number; last: number }) {
  const zone = displayZone();
  const [draft, setDraft] = useState(asOf);
  useEffect(() => setDraft(asOf), [asOf]);
  // The instant the URL holds now; a new one from outside resets the draft above, it does not navigate.
  const shown = useRef(asOf);
  shown.current = asOf;
  useEffect(() => {
    if (draft === shown.current) return undefined;
    const timer = setTimeout(() => navigate({ view: 'book', asOf: draft }, true), 200);
    return () => clearTimeout(timer);
  }, [draft]);
  return (
    <div class="time-picker" role="group" aria-label="Book as of">
      <label class="field">
        <span>As of ({zone.name})</span>
        <TimeInput id="book-time" value={draft} onChange={(ms) => navigate({ view: 'book', asOf: ms ?? null }, true)} />
      </label>
      <input
        id="book-slider"
        type="range"
        min={Math.floor(first / MINUTE)}
        max={Math.ceil(last / MINUTE)}
        value={Math.round(draft / MINUTE)}
        aria-label="Time in the session"
        onInput={(e) => setDraft(Number(e.currentTarget.value) * MINUTE)}
      />
      <span class="muted small mono">
        {time(new Date(first).toISOString())} → {time(new Date(last).toISOString())}
      </span>
      <button type="button" class="btn small" onClick={() => navigate({ view: 'book', asOf: null }, true)}>
        Now
      </button>
    </div>
  );
}

function Book({ data }: { data: BookData }) {
  const b = data.book;
  const risk = b.risk;
  const dl = risk.daily_loss;
  return (
    <>
      <div class="stats-row" id="book-summary">
        <Stat label={`As of (${displayZone().name})`} value={<span id="book-asof">{time(b.as_of)}</span>} />
        <Stat label="Open positions" value={b.positions.length} />
        <Stat label="Working orders" value={b.orders.length} />
        <Stat label="Unrealized P&L" value={pnl(b.unrealized_pnl)} />
        <Stat label="Realized P&L" value={pnl(b.realized_pnl)} />
        {b.cash !== null && <Stat label="Cash" value={<Num text={formatMoney(b.cash)} raw={b.cash} />} />}
        {b.equity !== null && <Stat label="Equity" value={<Num text={formatMoney(b.equity)} raw={b.equity} />} />}
        <Stat
          label="Circuit breaker"
          value={<span id="book-breaker">{risk.breaker.state}</span>}
          {...(risk.breaker.state === 'tripped' ? { tone: 'bad' as const } : {})}
        />
      </div>
      <Card title="Open positions">
        {b.positions.length === 0 ? (
          <Empty>No position was open at this time.</Empty>
        ) : (
          <table class="table nowrap" id="book-positions">
            <thead>
              <tr>
                <th>Position</th>
                <th>Ticker</th>
                <th>Side</th>
                <th class="num">Quantity</th>
                <th class="num">Avg price</th>
                <th class="num">Mark</th>
                <th>Marked ({displayZone().name})</th>
                <th class="num">Unrealized</th>
                <th class="num">Realized</th>
              </tr>
            </thead>
            <tbody>
              {b.positions.map((p) => (
                <tr key={p.position_id} data-position-id={p.position_id}>
                  <td>
                    <Link to={{ view: 'position', positionId: p.position_id }} class="mono">
                      {p.position_id}
                    </Link>
                  </td>
                  <td>
                    <strong>{p.ticker ?? '–'}</strong>
                  </td>
                  <td>{p.side ?? '–'}</td>
                  <td class="num">
                    <Num text={formatQuantity(p.quantity)} raw={p.quantity} />
                  </td>
                  <td class="num">
                    <Num text={formatTick(p.avg_price)} raw={p.avg_price} />
                  </td>
                  <td class="num">
                    <Num text={formatTick(p.mark_price)} raw={p.mark_price} />
                  </td>
                  <td class="mono">{time(p.marked_at)}</td>
                  <td class="num">{pnl(p.unrealized_pnl)}</td>
                  <td class="num">{pnl(p.realized_pnl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <div class="two-col">
        <Card title="Risk">
          <table class="table pairs" id="book-risk">
            <tbody>
              <tr>
                <th>Circuit breaker</th>
                <td>
                  {risk.breaker.state}
                  {risk.breaker.reason ? ` — ${risk.breaker.reason}` : ''}
                  {risk.breaker.until ? `, until ${time(risk.breaker.until)}` : ''}
                  {risk.breaker.since ? <span class="muted"> (since {time(risk.breaker.since)})</span> : null}
                </td>
              </tr>
              <tr>
                <th>Daily loss {dl.day ? `(${dl.day})` : ''}</th>
                <td id="book-daily-loss">
                  {formatMoney(dl.used)} used of {dl.limit === null ? 'no recorded limit' : formatMoney(dl.limit)}
                  {dl.used_fraction !== null ? ` (${formatRate(dl.used_fraction, 0)})` : ''} · {dl.level}
                </td>
              </tr>
              <tr>
                <th>Failed checks that day</th>
                <td>{risk.failed_checks_today}</td>
              </tr>
              {Object.entries(risk.limits).map(([k, v]) => (
                <tr key={k}>
                  <th>Limit: {k.replace(/_/g, ' ')}</th>
                  <td>{limitText(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        <Card title="Working orders">
          {b.orders.length === 0 ? (
            <Empty>No order was working at this time.</Empty>
          ) : (
            <table class="table nowrap" id="book-orders">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Ticker</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th class="num">Quantity</th>
                  <th class="num">Filled</th>
                  <th class="num">Leaves</th>
                  <th class="num">Limit</th>
                  <th class="num">Stop</th>
                  <th>Status</th>
                  <th>Submitted ({displayZone().name})</th>
                </tr>
              </thead>
              <tbody>
                {b.orders.map((o) => (
                  <tr key={o.order_id}>
                    <td>
                      <Link to={{ view: 'replay', aggregateType: 'order', aggregateId: o.order_id, step: null }} class="mono">
                        {o.order_id}
                      </Link>
                    </td>
                    <td>{o.ticker ?? '–'}</td>
                    <td>{o.side ?? '–'}</td>
                    <td>{o.order_type ?? '–'}</td>
                    <td class="num">{formatQuantity(o.quantity)}</td>
                    <td class="num">{formatQuantity(o.filled_quantity)}</td>
                    <td class="num">{formatQuantity(o.leaves_quantity)}</td>
                    <td class="num">{formatTick(o.limit_price)}</td>
                    <td class="num">{formatTick(o.stop_price)}</td>
                    <td>{o.status}</td>
                    <td class="mono">{time(o.submitted_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}

export function BookView({ asOf }: { asOf: number | null }) {
  const zone = displayZone();
  const data = useLive(() => getApi().book({ zone: zone.name, ...(asOf !== null ? { asOf } : {}) }), [asOf, zone.name]);
  const ready = data.state === 'ready' ? data.value : null;
  const first = ready?.firstAt ? Date.parse(ready.firstAt) : null;
  const last = ready?.lastAt ? Date.parse(ready.lastAt) : null;
  return (
    <div class="page wide">
      <header class="page-head">
        <h1>Book</h1>
        <p class="muted">Positions, working orders, cash and risk as they stood at one instant · {zoneCaption(zone)}</p>
      </header>
      {ready && first !== null && last !== null && <TimePicker asOf={Date.parse(ready.book.as_of)} first={first} last={last} />}
      {data.state === 'loading' && <Loading what="book" />}
      {data.state === 'error' && <ErrorBox error={data.error} />}
      {ready && (first === null ? <Empty>This log has no events yet: the book is empty.</Empty> : <Book data={ready} />)}
    </div>
  );
}
