/** `catalyst-events report [--json] [--tz ZONE]`: the performance report. */
import { openReader, type CommandContext, type SourceOptions } from '../../../src-core';
import { loadReport } from '../analytics';
import { formatHold, formatMoney, formatNumber, formatRate, formatTime } from '../format';
import type { PerformanceFigures } from '../types';
import { zoneOf, type ZoneOption } from './options';
import { renderPairs, renderTable } from './table';

export interface ReportOptions extends SourceOptions, ZoneOption {
  json?: boolean;
}

const signed = (v: number | null) => formatMoney(v, { sign: 'always' });

function groupTable(title: string, groups: Record<string, PerformanceFigures>, mtm: boolean): string {
  const keys = Object.keys(groups);
  if (keys.length === 0) return '';
  const rows = keys.map((k) => {
    const f = groups[k]!;
    const row = [
      k,
      String(f.trades),
      formatRate(f.win_rate, 1),
      signed(f.net_pnl),
      formatNumber(f.profit_factor, { decimals: 2 }),
      signed(f.expectancy),
      formatMoney(f.max_drawdown.realized),
    ];
    if (mtm) row.push(formatMoney(f.max_drawdown.marked_to_market));
    return row;
  });
  const columns = [
    { title },
    { title: 'trades', align: 'right' as const },
    { title: 'win rate', align: 'right' as const },
    { title: 'net P&L', align: 'right' as const },
    { title: 'PF', align: 'right' as const },
    { title: 'expectancy', align: 'right' as const },
    { title: 'max DD', align: 'right' as const },
    ...(mtm ? [{ title: 'max DD (marked)', align: 'right' as const }] : []),
  ];
  return `\n${renderTable(columns, rows)}`;
}

export async function runReport(options: ReportOptions, ctx: CommandContext): Promise<number> {
  const zone = zoneOf(options);
  const source = await openReader(options, ctx);
  try {
    const r = await loadReport(source.reader, { dayZone: zone });
    const { io } = ctx;
    if (options.json) {
      io.out(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    if (r.as_of === null) {
      io.out(`no events in ${source.label}\n`);
      return 0;
    }
    io.out(
      `${io.c.bold('Performance')} · ${formatTime(r.first_at, zone, { seconds: false })} → ${formatTime(r.as_of, zone, { seconds: false })}\n\n`,
    );
    io.out(
      renderPairs([
        ['trades', `${r.trades} closed (${r.wins} won, ${r.losses} lost), ${r.open_trades} open`],
        ['net P&L', signed(r.net_pnl)],
        ['gross profit', formatMoney(r.gross_profit)],
        ['gross loss', formatMoney(r.gross_loss)],
        ['profit factor', formatNumber(r.profit_factor, { decimals: 2 })],
        ['win rate', formatRate(r.win_rate)],
        ['avg win / loss', `${formatMoney(r.avg_win)} / ${formatMoney(r.avg_loss)}`],
        ['expectancy', `${signed(r.expectancy)} per trade`],
        ['largest win / loss', `${formatMoney(r.largest_win)} / ${formatMoney(r.largest_loss)}`],
        [
          'max drawdown',
          `${formatMoney(r.max_drawdown.realized)} realized · ${formatMoney(r.max_drawdown.marked_to_market)} marked to market`,
        ],
        ['commissions', formatMoney(r.commissions)],
        ['avg hold', formatHold(r.avg_hold_seconds)],
        ['unrealized', `${signed(r.unrealized_pnl)} on ${r.open_trades} open position(s)`],
      ]),
    );
    io.out(groupTable('ticker', r.by_ticker, true));
    io.out(groupTable('exit reason', r.by_exit_reason, false));
    io.out(groupTable(`day (${zone.name})`, r.by_day, true));
    return 0;
  } finally {
    await source.close();
  }
}
