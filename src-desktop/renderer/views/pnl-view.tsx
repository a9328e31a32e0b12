import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import type { PnlMarker, PnlSeries } from '../../shared/api';
import { getApi } from '../api';
import { AggregateChip, Card, Empty, ErrorBox, Link, Loading, Stat, useAsync } from '../components/common';
import { formatClock, formatDuration, formatMoney, formatNumber, formatTime } from '../format';

const MARKER_COLORS: Record<PnlMarker['kind'], string> = {
  opened: '--c-position',
  stop_moved: '--c-warn',
  take_profit_moved: '--c-signal',
  stop_triggered: '--c-bad',
  take_profit_triggered: '--c-good',
  closed: '--fg',
};

const MARKER_NAMES: Record<PnlMarker['kind'], string> = {
  opened: 'Opened',
  stop_moved: 'Stop moved',
  take_profit_moved: 'Target moved',
  stop_triggered: 'Stop triggered',
  take_profit_triggered: 'Target triggered',
  closed: 'Closed',
};

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Vertical lines with a short tag for stop moves, triggers and the close. */
function markersPlugin(markers: PnlMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
        markers.forEach((m, i) => {
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
          // Stagger tags so markers close in time stay readable.
          const label = MARKER_NAMES[m.kind];
          const ty = top + (12 + (i % 3) * 14) * devicePixelRatio;
          const w = ctx.measureText(label).width;
          const tx = Math.min(x + 4 * devicePixelRatio, u.bbox.left + u.bbox.width - w - 2);
          ctx.fillText(label, tx, ty);
        });
        ctx.restore();
      },
    },
  };
}

function Chart({ series }: { series: PnlSeries }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let plot: uPlot | null = null;
    const build = () => {
      plot?.destroy();
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
      const xs = series.points.map((p) => p.t / 1000);
      const data: uPlot.AlignedData = [
        xs,
        series.points.map((p) => p.price),
        series.points.map((p) => p.stopLoss),
        series.points.map((p) => p.takeProfit),
        series.points.map((p) => p.unrealizedPnl),
      ];
      plot = new uPlot(
        {
          width: el.clientWidth,
          height: 380,
          scales: { x: { time: true }, price: { auto: true }, pnl: { auto: true } },
          cursor: { drag: { x: true, y: false } },
          legend: { live: true },
          series: [
            { label: 'Time', value: (_u, v) => (v === null ? '–' : formatClock(v * 1000)) },
            { label: 'Price', scale: 'price', stroke: cssVar('--c-order'), width: 2, value: (_u, v) => formatNumber(v) },
            { label: 'Stop', scale: 'price', stroke: cssVar('--c-bad'), width: 1.5, dash: [6, 4], paths: uPlot.paths.stepped!({ align: 1 }), value: (_u, v) => formatNumber(v) },
            { label: 'Target', scale: 'price', stroke: cssVar('--c-good'), width: 1.5, dash: [6, 4], paths: uPlot.paths.stepped!({ align: 1 }), value: (_u, v) => formatNumber(v) },
            { label: 'Unrealized P&L', scale: 'pnl', stroke: cssVar('--c-position'), fill: cssVar('--c-position-fill'), width: 2, value: (_u, v) => formatMoney(v) },
          ],
          axes: [axis('x'), axis('price', 3), axis('pnl', 1, (v) => formatMoney(v))],
          plugins: [markersPlugin(series.markers)],
        },
        data,
        el,
      );
    };
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height: 380 }));
    resize.observe(el);
    // Colours come from the theme: redraw when it flips.
    const theme = new MutationObserver(build);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', build);
    return () => {
      resize.disconnect();
      theme.disconnect();
      media.removeEventListener('change', build);
      plot?.destroy();
    };
  }, [series]);
  return <div class="chart" id="pnl-chart" ref={ref} aria-label="Price and unrealized P&L over time" />;
}

export function PnlView({ positionId }: { positionId: string }) {
  const series = useAsync(() => getApi().pnlSeries({ positionId }), [positionId]);
  if (series.state === 'loading') return <Loading what="P&L" />;
  if (series.state === 'error') return <ErrorBox error={series.error} />;
  const s = series.value;
  const pnls = s.points.map((p) => p.unrealizedPnl).filter((v): v is number => v !== null);
  const first = s.points[0];
  const last = s.points.at(-1);
  const realizedTone = s.realizedPnl === null ? undefined : s.realizedPnl >= 0 ? 'good' : 'bad';
  return (
    <div class="page">
      <header class="page-head">
        <h1>
          P&amp;L <AggregateChip type="position" id={positionId} />
        </h1>
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
      </header>
      {s.points.length === 0 ? (
        <Empty>No price history for this position.</Empty>
      ) : (
        <>
          <div class="stats-row" id="pnl-summary">
            <Stat label="Ticker" value={s.ticker ?? '–'} />
            <Stat label="Side" value={s.side ?? '–'} />
            <Stat label="Entry" value={formatNumber(s.entryPrice)} />
            <Stat label={s.status === 'closed' ? 'Exit' : 'Last'} value={formatNumber(last?.price)} />
            <Stat label="Realized P&L" value={formatMoney(s.realizedPnl)} {...(realizedTone ? { tone: realizedTone } : {})} />
            <Stat label="Best / worst unrealized" value={`${formatMoney(Math.max(...pnls))} / ${formatMoney(Math.min(...pnls))}`} />
            <Stat label="Status" value={s.status === 'closed' ? `closed · ${s.exitReason ?? '?'}` : s.status} />
            {first && last && <Stat label="Held" value={formatDuration(last.t - first.t)} />}
          </div>
          {s.corrupt > 0 && <div class="error-box">{s.corrupt} corrupt row(s) of this position were skipped.</div>}
          <Card title="Price and unrealized P&L">
            <Chart series={s} />
          </Card>
          <Card title="Stops, triggers and close">
            <table class="table" id="pnl-markers">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>What</th>
                  <th>Detail</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {s.markers.map((m) => (
                  <tr key={m.eventId}>
                    <td class="mono">{formatTime(m.t)}</td>
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
        </>
      )}
    </div>
  );
}
