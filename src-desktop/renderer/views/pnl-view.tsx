import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PnlMarker, PnlSeries } from '../../shared/api';
import { getApi } from '../api';
import { AggregateChip, Card, Empty, ErrorBox, Link, Loading, Num, Stat, useLive } from '../components/common';
import { cssVar, timeAxisOptions, useUplot } from '../components/time-chart';
import { displayZone, formatHold, formatMoney, formatQuantity, formatTick, formatTimeIn, zoneCaption } from '../display';
import { TraceView } from './trace-view';

const MARKER_COLORS: Record<PnlMarker['kind'], string> = {
  opened: '--c-position',
  increased: '--c-position',
  reduced: '--c-order',
  stop_moved: '--c-warn',
  take_profit_moved: '--c-signal',
  stop_triggered: '--c-bad',
  take_profit_triggered: '--c-good',
  closed: '--fg',
};

const MARKER_NAMES: Record<PnlMarker['kind'], string> = {
  opened: 'Opened',
  increased: 'Scaled in',
  reduced: 'Partial exit',
  stop_moved: 'Stop moved',
  take_profit_moved: 'Target moved',
  stop_triggered: 'Stop triggered',
  take_profit_triggered: 'Target triggered',
  closed: 'Closed',
};

/** Vertical lines with a short tag for stop moves, triggers and the close. */
function markersPlugin(markers: PnlMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        const rowEnds: number[] = [];
        markers.forEach((m) => {
          const x = Math.round(u.valToPos(m.t / 1000, 'x', true));
          const color = cssVar(MARKER_COLORS[m.kind]);
          ctx.strokeStyle = color;
          ctx.fillStyle = color;
          ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          ctx.setLineDash([]);
          if (m.price !== null) {
            const y = u.valToPos(m.price, 'price', true);
            ctx.beginPath();
            ctx.arc(x, y, 4.5 * devicePixelRatio, 0, Math.PI * 2);
            ctx.fill();
          }
          // Scale-ins and partial exits get a dot only; other tags are staggered and never drawn over one another.
          if (m.kind === 'increased' || m.kind === 'reduced') return;
          const label = MARKER_NAMES[m.kind];
          const w = ctx.measureText(label).width;
          const tx = Math.min(x + 4 * devicePixelRatio, u.bbox.left + u.bbox.width - w - 2);
          const row = [0, 1, 2].find((r) => tx > (rowEnds[r] ?? -Infinity));
          if (row === undefined) return;
          rowEnds[row] = tx + w + 6 * devicePixelRatio;
          ctx.fillText(label, tx, top + (12 + row * 14) * devicePixelRatio);
        });
        ctx.restore();
      },
    },
  };
}

function Chart({ series }: { series: PnlSeries }) {
  // Colours come from the theme: useUplot rebuilds the chart when it flips, and resizes it with its box.
  const ref = useUplot(
    (el) => {
      const fg = cssVar('--fg-muted');
      const grid = cssVar('--border');
      const axis = (scale: string, side?: number, fmt?: (v: number) => string): uPlot.Axis => ({
        scale,
        ...(scale === 'x' ? {} : { size: 72 }),
        ...(side !== undefined ? { side } : {}),
        stroke: fg,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        ...(fmt ? { values: (_u: uPlot, vals: number[]) => vals.map(fmt) } : {}),
      });
      const { tzDate, axis: timeAxis } = timeAxisOptions();
      const zone = displayZone();
      const xs = series.points.map((p) => p.t / 1000);
      const data: uPlot.AlignedData = [
        xs,
        series.points.map((p) => p.price),
        series.points.map((p) => p.stopLoss),
        series.points.map((p) => p.takeProfit),
        series.points.map((p) => p.unrealizedPnl),
      ];
      return new uPlot(
        {
          width: el.clientWidth,
          height: 380,
          tzDate,
          scales: { x: { time: true }, price: { auto: true }, pnl: { auto: true } },
          cursor: { drag: { x: true, y: false } },
          legend: { live: true },
          series: [
            { label: `Time (${zone.name})`, value: (_u, v) => (v === null ? '–' : formatTimeIn(v * 1000, zone, { zone: false })) },
            { label: 'Price', scale: 'price', stroke: cssVar('--c-order'), width: 2, value: (_u, v) => formatTick(v) },
            {
              label: 'Stop',
              scale: 'price',
              stroke: cssVar('--c-bad'),
              width: 1.5,
              dash: [6, 4],
              paths: uPlot.paths.stepped!({ align: 1 }),
              value: (_u, v) => formatTick(v),
            },
            {
              label: 'Target',
              scale: 'price',
              stroke: cssVar('--c-good'),
              width: 1.5,
              dash: [6, 4],
              paths: uPlot.paths.stepped!({ align: 1 }),
              value: (_u, v) => formatTick(v),
            },
            {
              label: 'Unrealized P&L',
              scale: 'pnl',
              stroke: cssVar('--c-position'),
              fill: cssVar('--c-position-fill'),
              width: 2,
              value: (_u, v) => formatMoney(v, { sign: 'always' }),
            },
          ],
          axes: [{ ...axis('x'), ...timeAxis }, axis('price', 3, (v) => formatTick(v)), axis('pnl', 1, (v) => formatMoney(v))],
          plugins: [markersPlugin(series.markers)],
        },
        data,
        el,
      );
    },
    [series],
    380,
  );
  return <div class="chart" id="pnl-chart" ref={ref} aria-label="Price and unrealized P&L over time" />;
}

export function PnlView({ positionId }: { positionId: string }) {
  const zone = displayZone();
  const series = useLive(() => getApi().pnlSeries({ positionId }), [positionId]);
  if (series.state === 'loading') return <Loading what="P&L" />;
  if (series.state === 'error') return <ErrorBox error={series.error} />;
  const s = series.value;
  const f = s.pnl;
  const realizedTone = f.realized_pnl > 0 ? 'good' : f.realized_pnl < 0 ? 'bad' : undefined;
  const money = (v: number | null) => <Num text={formatMoney(v, { sign: 'always' })} raw={v} />;
  return (
    <div class="page">
      <header class="page-head">
        <h1>
          P&amp;L <AggregateChip type="position" id={positionId} />
        </h1>
        {s.found && (
          <div class="actions">
            <Link to={{ view: 'replay', aggregateType: 'position', aggregateId: positionId, step: null }} class="btn">
              ▶ Replay
            </Link>
            {s.correlationId && (
              <Link to={{ view: 'trace', correlationId: s.correlationId, eventId: null }} class="btn">
                ☰ Trade story
              </Link>
            )}
          </div>
        )}
      </header>
      {!s.found ? (
        <div class="error-box" role="alert" id="pnl-not-found">
          Position “{positionId}” not found in this log{s.corrupt > 0 ? ` (${s.corrupt} of its rows are corrupt)` : ''}.{' '}
          <Link to={{ view: 'trades', query: {} }}>See all trades</Link>
        </div>
      ) : (
        <>
          <div class="stats-row" id="pnl-summary">
            <Stat label="Ticker" value={s.ticker ?? '–'} />
            <Stat label="Side" value={s.side ?? '–'} />
            <Stat label="Entry (avg)" value={<Num text={formatTick(f.entry_price)} raw={f.entry_price} id="pnl-entry" />} />
            <Stat label="Exit" value={<Num text={formatTick(f.exit_price)} raw={f.exit_price} id="pnl-exit" />} />
            <Stat
              label="Realized P&L"
              value={<span id="pnl-realized">{money(f.realized_pnl)}</span>}
              {...(realizedTone ? { tone: realizedTone } : {})}
            />
            <Stat
              label="Best / worst unrealized"
              value={
                <>
                  <span id="pnl-best">{money(f.best_unrealized_pnl)}</span> / <span id="pnl-worst">{money(f.worst_unrealized_pnl)}</span>
                </>
              }
            />
            <Stat
              label="Status"
              value={<span id="pnl-status">{f.status === 'closed' ? `closed · ${f.exit_reason ?? '?'}` : f.status}</span>}
            />
            <Stat
              label={f.status === 'open' ? 'Held so far' : 'Held'}
              value={
                <span id="pnl-hold" data-seconds={f.hold_seconds ?? ''}>
                  {formatHold(f.hold_seconds)}
                </span>
              }
            />
            <Stat label="Peak quantity" value={<Num text={formatQuantity(f.peak_quantity)} raw={f.peak_quantity} />} />
            <Stat label="Fees" value={<Num text={formatMoney(f.fees)} raw={f.fees} />} />
          </div>
          {s.corrupt > 0 && <div class="error-box">{s.corrupt} corrupt row(s) of this position were skipped.</div>}
          {!f.found && (
            <div class="error-box" id="pnl-partial">
              This position's opening is not in this log: prices and unrealized P&amp;L are shown as the bot recorded them, without entry,
              exit or realized figures.
            </div>
          )}
          <Card title={`Price and unrealized P&L (${zoneCaption(zone)})`}>
            {s.points.length === 0 ? <Empty>No fills or prices recorded for this position yet.</Empty> : <Chart series={s} />}
          </Card>
          <Card title="Fills, stops, triggers and close">
            <table class="table" id="pnl-markers">
              <thead>
                <tr>
                  <th>Time ({zone.name})</th>
                  <th>What</th>
                  <th>Detail</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {s.markers.map((m) => (
                  <tr key={m.eventId} class={`mk-row-${m.kind}`}>
                    <td class="mono">{formatTimeIn(m.t, zone, { zone: false })}</td>
                    <td>
                      <span class={`marker-dot mk-${m.kind}`} /> {MARKER_NAMES[m.kind]}
                    </td>
                    <td>{m.label}</td>
                    <td>
                      <Link to={{ view: 'event', eventId: m.eventId }}>event →</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
          {s.correlationId && (
            <section class="embedded-story" id="pnl-story">
              <TraceView correlationId={s.correlationId} eventId={null} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
