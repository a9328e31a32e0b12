import uPlot from 'uplot';
import type { PerformanceFigures, PerformanceReport } from '../../shared/api';
import { getApi } from '../api';
import { Card, Empty, ErrorBox, Loading, Num, Stat, useLive } from '../components/common';
import { cssVar, timeAxisOptions, useUplot } from '../components/time-chart';
import { displayZone, formatHold, formatMoney, formatNumber, formatRate, formatTimeIn, zoneCaption } from '../display';
import { navigate } from '../router';

const tone = (v: number | null) => (v === null || v === 0 ? undefined : v > 0 ? ('good' as const) : ('bad' as const));
const money = (v: number | null, sign: 'always' | 'negative' = 'always') => <Num text={formatMoney(v, { sign })} raw={v} />;

function EquityChart({ report }: { report: PerformanceReport }) {
  const ref = useUplot(
    (el) => {
      const fg = cssVar('--fg-muted');
      const grid = cssVar('--border');
      const { tzDate, axis } = timeAxisOptions();
      const pts = report.equity_curve;
      const base: Partial<uPlot.Axis> = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      return new uPlot(
        {
          width: el.clientWidth,
          height: 320,
          tzDate,
          scales: { x: { time: true }, pnl: { auto: true } },
          legend: { live: true },
          series: [
            {
              label: `Time (${displayZone().name})`,
              value: (_u, v) => (v === null ? '–' : formatTimeIn(v * 1000, displayZone(), { zone: false, seconds: false })),
            },
            {
              label: 'Equity (realized + unrealized)',
              scale: 'pnl',
              stroke: cssVar('--c-position'),
              width: 2,
              value: (_u, v) => formatMoney(v, { sign: 'always' }),
            },
            {
              label: 'Realized',
              scale: 'pnl',
              stroke: cssVar('--c-signal'),
              width: 1.5,
              dash: [6, 4],
              value: (_u, v) => formatMoney(v, { sign: 'always' }),
            },
            // Drawdown below zero on the same scale: the "underwater" area under the equity line.
            {
              label: 'Drawdown',
              scale: 'pnl',
              stroke: cssVar('--c-bad'),
              fill: 'rgba(220, 60, 60, 0.15)',
              width: 1,
              value: (_u, v) => formatMoney(v),
            },
          ],
          axes: [
            { ...base, ...axis },
            { ...base, scale: 'pnl', size: 80, values: (_u, vals) => vals.map((v) => formatMoney(v)) },
          ],
        },
        [pts.map((p) => Date.parse(p.at) / 1000), pts.map((p) => p.equity), pts.map((p) => p.realized), pts.map((p) => -p.drawdown)],
        el,
      );
    },
    [report],
    320,
  );
  return <div class="chart" id="equity-chart" ref={ref} aria-label="Equity and drawdown over time" />;
}

function Breakdown({
  title,
  id,
  groups,
  link,
}: {
  title: string;
  id: string;
  groups: Record<string, PerformanceFigures>;
  link?: (key: string) => void;
}) {
  const keys = Object.keys(groups).sort();
  if (keys.length === 0) return null;
  return (
    <Card title={title}>
      <div class="table-scroll">
        <table class="table figures" id={id}>
          <thead>
            <tr>
              <th>{title.replace(/^By /, '')}</th>
              <th class="num">Trades</th>
              <th class="num">Win rate</th>
              <th class="num">Net P&amp;L</th>
              <th class="num">Gross profit</th>
              <th class="num">Gross loss</th>
              <th class="num">Profit factor</th>
              <th class="num">Expectancy</th>
              <th class="num">Largest win</th>
              <th class="num">Largest loss</th>
              <th class="num">Max DD (realized)</th>
              <th class="num">Commissions</th>
              <th class="num">Avg hold</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const f = groups[k]!;
              return (
                <tr key={k} data-key={k} class={link ? 'clickable' : ''} onClick={link ? () => link(k) : undefined}>
                  <td>
                    <strong>{k}</strong>
                  </td>
                  <td class="num">{f.trades}</td>
                  <td class="num">{formatRate(f.win_rate)}</td>
                  <td class={`num ${f.net_pnl > 0 ? 'pos' : f.net_pnl < 0 ? 'neg' : ''}`}>{money(f.net_pnl)}</td>
                  <td class="num">{money(f.gross_profit, 'negative')}</td>
                  <td class="num">{money(f.gross_loss, 'negative')}</td>
                  <td class="num">{formatNumber(f.profit_factor)}</td>
                  <td class="num">{money(f.expectancy)}</td>
                  <td class="num">{money(f.largest_win)}</td>
                  <td class="num">{money(f.largest_loss)}</td>
                  <td class="num">{money(f.max_drawdown.realized, 'negative')}</td>
                  <td class="num">{money(f.commissions, 'negative')}</td>
                  <td class="num">{formatHold(f.avg_hold_seconds)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

export function PerformanceView() {
  const zone = displayZone();
  const report = useLive(() => getApi().report({ zone: zone.name }), [zone.name]);
  if (report.state === 'loading') return <Loading what="performance report" />;
  if (report.state === 'error') return <ErrorBox error={report.error} />;
  const r = report.value;
  return (
    <div class="page wide">
      <header class="page-head">
        <h1>Performance</h1>
        <p class="muted">
          Closed trades{r.as_of ? ` up to ${formatTimeIn(r.as_of)}` : ''} · days in {zone.name} · {zoneCaption(zone)}
        </p>
      </header>
      {r.trades === 0 && r.open_trades === 0 ? (
        <Empty>No trades in this log yet: the report fills in as positions close.</Empty>
      ) : (
        <>
          <div class="stats-row" id="report-summary">
            <Stat label="Net P&L" value={money(r.net_pnl)} {...(tone(r.net_pnl) ? { tone: tone(r.net_pnl)! } : {})} />
            <Stat label="Trades (closed)" value={r.trades} />
            <Stat label="Win rate" value={formatRate(r.win_rate)} />
            <Stat label="Profit factor" value={formatNumber(r.profit_factor)} />
            <Stat label="Expectancy / trade" value={money(r.expectancy)} />
            <Stat label="Gross profit" value={money(r.gross_profit, 'negative')} />
            <Stat label="Gross loss" value={money(r.gross_loss, 'negative')} />
            <Stat
              label="Avg win / avg loss"
              value={
                <>
                  {money(r.avg_win)} / {money(r.avg_loss)}
                </>
              }
            />
            <Stat
              label="Largest win / loss"
              value={
                <>
                  {money(r.largest_win)} / {money(r.largest_loss)}
                </>
              }
            />
            <Stat label="Max drawdown (realized)" value={money(r.max_drawdown.realized, 'negative')} />
            <Stat label="Max drawdown (marked)" value={money(r.max_drawdown.marked_to_market, 'negative')} />
            <Stat label="Commissions" value={money(r.commissions, 'negative')} />
            <Stat label="Avg hold" value={formatHold(r.avg_hold_seconds)} />
            <Stat
              label="Open / unrealized"
              value={
                <>
                  {r.open_trades} / {money(r.unrealized_pnl)}
                </>
              }
            />
          </div>
          <Card title={`Equity and drawdown (${zoneCaption(zone)})`}>
            {r.equity_curve.length === 0 ? <Empty>No equity points yet.</Empty> : <EquityChart report={r} />}
          </Card>
          <Breakdown
            title="By ticker"
            id="report-by-ticker"
            groups={r.by_ticker}
            link={(t) => navigate({ view: 'trades', query: { tickers: [t] } })}
          />
          <Breakdown title="By day" id="report-by-day" groups={r.by_day} />
          <Breakdown
            title="By exit reason"
            id="report-by-exit"
            groups={r.by_exit_reason}
            link={(x) => navigate({ view: 'trades', query: { exitReasons: [x] } })}
          />
        </>
      )}
    </div>
  );
}
