/** `catalyst-events trades [filters] [--json|--csv] [--tz ZONE]`: the trades blotter. */
import { CliUsageError, openReader, type CommandContext, type SourceOptions } from '../../../src-core';
import { loadTrades } from '../analytics';
import { formatHold, formatMoney, formatPercent, formatPrice, formatQuantity, formatTime, zoneCaption } from '../format';
import { TRADE_COLUMNS, tradesCsv, type TradeQuery } from '../trades';
import { InvalidQueryError } from '../errors';
import { exclusive, timeOption, zoneOf, type ZoneOption } from './options';
import { renderTable } from './table';

export interface TradesOptions extends SourceOptions, ZoneOption {
  ticker?: string[];
  side?: string;
  won?: boolean;
  lost?: boolean;
  exitReason?: string[];
  status?: string;
  run?: string[];
  since?: string;
  until?: string;
  sort?: string;
  desc?: boolean;
  json?: boolean;
  csv?: boolean;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidQueryError(option, value, allowed);
  return value as T;
}

export function tradeQuery(options: TradesOptions): TradeQuery {
  exclusive(options as Record<string, unknown>, ['won', 'lost']);
  const zone = zoneOf(options);
  const query: TradeQuery = {};
  if (options.ticker?.length) query.tickers = options.ticker;
  const side = oneOf(options.side, ['long', 'short'] as const, '--side');
  if (side) query.side = side;
  if (options.won) query.outcome = 'won';
  if (options.lost) query.outcome = 'lost';
  if (options.exitReason?.length) query.exitReasons = options.exitReason;
  const status = oneOf(options.status, ['open', 'closed'] as const, '--status');
  if (status) query.status = status;
  if (options.run?.length) query.runs = options.run;
  const since = timeOption(options.since, zone, '--since');
  const until = timeOption(options.until, zone, '--until');
  if (since !== undefined) query.since = since;
  if (until !== undefined) query.until = until;
  if (since !== undefined && until !== undefined && since > until) throw new CliUsageError('--since is after --until');
  const sort = oneOf(options.sort, TRADE_COLUMNS, '--sort');
  if (sort) query.sort = sort;
  if (options.desc) query.descending = true;
  return query;
}

export async function runTrades(options: TradesOptions, ctx: CommandContext): Promise<number> {
  exclusive(options as Record<string, unknown>, ['json', 'csv']);
  const zone = zoneOf(options);
  const query = tradeQuery(options);
  const source = await openReader(options, ctx);
  try {
    const rows = await loadTrades(source.reader, query, { dayZone: zone });
    const { io } = ctx;
    if (options.json) {
      io.out(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (options.csv) {
      io.out(tradesCsv(rows));
      return 0;
    }
    if (rows.length === 0) {
      io.out(`no trades match in ${source.label}\n`);
      return 0;
    }
    const table = renderTable(
      [
        { title: 'position' },
        { title: 'ticker' },
        { title: 'side' },
        { title: 'peak qty', align: 'right' },
        { title: 'avg entry', align: 'right' },
        { title: 'avg exit', align: 'right' },
        { title: 'net P&L', align: 'right' },
        { title: 'fees', align: 'right' },
        { title: 'return', align: 'right' },
        { title: `opened (${zone.name})` },
        { title: 'held', align: 'right' },
        { title: 'exit' },
      ],
      rows.map((r) => [
        r.position_id,
        r.ticker ?? '–',
        r.side ?? '–',
        formatQuantity(r.peak_quantity),
        formatPrice(r.avg_entry_price),
        formatPrice(r.avg_exit_price),
        formatMoney(r.net_pnl, { sign: 'always' }),
        formatMoney(r.fees),
        formatPercent(r.return_pct, 2, 'always'),
        formatTime(r.opened_at, zone, { seconds: false, zone: false }),
        formatHold(r.hold_seconds),
        r.status === 'open' ? 'open' : (r.exit_reason ?? '–'),
      ]),
    );
    io.out(table);
    const closed = rows.filter((r) => r.status === 'closed');
    const won = closed.filter((r) => r.net_pnl > 0).length;
    const lost = closed.filter((r) => r.net_pnl < 0).length;
    const net = rows.reduce((s, r) => s + r.net_pnl, 0);
    io.out(
      io.c.dim(
        `${rows.length} trade(s), ${closed.length} closed (${won} won, ${lost} lost), ${rows.length - closed.length} open · net realized ${formatMoney(net, { sign: 'always' })} · ${zoneCaption(zone)}\n`,
      ),
    );
    return 0;
  } finally {
    await source.close();
  }
}
