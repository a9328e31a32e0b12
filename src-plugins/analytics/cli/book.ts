/** `catalyst-events book --as-of TIME [--json] [--tz ZONE]`: the book at an instant. */
import { openReader, type CommandContext, type SourceOptions } from '../../../src-core';
import { loadBook } from '../analytics';
import { formatMoney, formatPrice, formatQuantity, formatRate, formatTime } from '../format';
import { timeOption, zoneOf, type ZoneOption } from './options';
import { renderPairs, renderTable } from './table';

export interface BookOptions extends SourceOptions, ZoneOption {
  asOf: string;
  json?: boolean;
}

export async function runBook(options: BookOptions, ctx: CommandContext): Promise<number> {
  const zone = zoneOf(options);
  const asOf = timeOption(options.asOf, zone, '--as-of')!;
  const source = await openReader(options, ctx);
  try {
    const book = await loadBook(source.reader, asOf, { dayZone: zone });
    const { io } = ctx;
    if (options.json) {
      io.out(`${JSON.stringify(book, null, 2)}\n`);
      return 0;
    }
    const t = (v: string | null) => formatTime(v, zone, { zone: false });
    io.out(`${io.c.bold('Book')} as of ${formatTime(asOf, zone)} (${book.events} events read)\n\n`);
    if (book.positions.length === 0) io.out('no open positions\n');
    else {
      io.out(
        renderTable(
          [
            { title: 'position' },
            { title: 'ticker' },
            { title: 'side' },
            { title: 'quantity', align: 'right' },
            { title: 'avg price', align: 'right' },
            { title: 'mark', align: 'right' },
            { title: `marked (${zone.name})` },
            { title: 'unrealized', align: 'right' },
            { title: 'realized', align: 'right' },
          ],
          book.positions.map((p) => [
            p.position_id,
            p.ticker ?? '–',
            p.side ?? '–',
            formatQuantity(p.quantity),
            formatPrice(p.avg_price),
            formatPrice(p.mark_price),
            t(p.marked_at),
            formatMoney(p.unrealized_pnl, { sign: 'always' }),
            formatMoney(p.realized_pnl, { sign: 'always' }),
          ]),
        ),
      );
    }
    io.out('\n');
    if (book.orders.length === 0) io.out('no working orders\n');
    else {
      io.out(
        renderTable(
          [
            { title: 'order' },
            { title: 'ticker' },
            { title: 'side' },
            { title: 'type' },
            { title: 'quantity', align: 'right' },
            { title: 'filled', align: 'right' },
            { title: 'limit', align: 'right' },
            { title: 'status' },
            { title: `submitted (${zone.name})` },
          ],
          book.orders.map((o) => [
            o.order_id,
            o.ticker ?? '–',
            o.side ?? '–',
            o.order_type ?? '–',
            formatQuantity(o.quantity),
            formatQuantity(o.filled_quantity),
            formatPrice(o.limit_price),
            o.status,
            t(o.submitted_at),
          ]),
        ),
      );
    }
    const r = book.risk;
    const d = r.daily_loss;
    io.out('\n');
    io.out(
      renderPairs([
        [
          'realized / unrealized',
          `${formatMoney(book.realized_pnl, { sign: 'always' })} / ${formatMoney(book.unrealized_pnl, { sign: 'always' })}`,
        ],
        [
          'cash / equity',
          book.portfolio_at === null
            ? 'not in the log (no portfolio snapshot)'
            : `${formatMoney(book.cash)} / ${formatMoney(book.equity)} at ${formatTime(book.portfolio_at, zone)}`,
        ],
        [
          'circuit breaker',
          r.breaker.state === 'tripped'
            ? `TRIPPED since ${formatTime(r.breaker.since, zone)} (${r.breaker.reason ?? 'no reason'})${r.breaker.until ? `, until ${formatTime(r.breaker.until, zone)}` : ''}`
            : 'normal',
        ],
        [
          `daily loss ${d.day ?? ''}`.trim(),
          `${formatMoney(d.used)} used of ${d.limit === null ? 'no recorded limit' : formatMoney(d.limit)}${d.used_fraction === null ? '' : ` (${formatRate(d.used_fraction, 1)})`} · level ${d.level}`,
        ],
        ['failed checks today', String(r.failed_checks_today)],
      ]),
    );
    return 0;
  } finally {
    await source.close();
  }
}
