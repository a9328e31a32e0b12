import type { CommandContext } from '../context';
import { renderPairs, renderTable } from '../format/table';
import { formatBytes, formatDuration, formatTime } from '../format/time';
import { openReader, type SourceOptions } from '../log-source';

export interface StatsOptions extends SourceOptions {
  json?: boolean;
}

export async function runStats(options: StatsOptions, ctx: CommandContext): Promise<number> {
  const source = await openReader(options, ctx);
  try {
    const stats = await source.reader.stats();
    const { io } = ctx;
    const { c } = io;
    if (options.json) {
      io.out(`${JSON.stringify({ source: source.label, backend: source.backend, ...stats }, null, 2)}\n`);
      return 0;
    }
    const span =
      stats.firstAt !== null && stats.lastAt !== null
        ? `${formatTime(stats.firstAt)} → ${formatTime(stats.lastAt)} (${formatDuration(stats.lastAt - stats.firstAt)})`
        : '-';
    io.out(
      renderPairs(
        [
          ['log', source.label],
          ['events', String(stats.total)],
          ['corrupt rows', stats.corrupt > 0 ? c.red(`${stats.corrupt} (catalyst-events verify names them)`) : c.green('0')],
          ['aggregates', String(stats.aggregates)],
          ['time span UTC', span],
          ['file size', stats.fileBytes === null ? '-' : formatBytes(stats.fileBytes)],
          ['head position', String(stats.headPosition)],
        ],
        io.width,
        c,
      ),
    );
    const share = (n: number): string => (stats.total > 0 ? `${((100 * n) / stats.total).toFixed(1)}%` : '-');
    /** A count per key with its share of all events; nothing at all when there are none. */
    const countTable = (header: string, max: number, counts: [string, number][]): void => {
      if (counts.length === 0) return;
      io.out('\n');
      io.out(
        renderTable(
          [
            { header, max },
            { header: 'EVENTS', align: 'right' },
            { header: 'SHARE', align: 'right' },
          ],
          counts.map(([key, n]) => [key, String(n), share(n)]),
          io.width,
          c,
        ),
      );
    };
    countTable(
      'AGGREGATE TYPE',
      40,
      Object.entries(stats.byAggregateType).sort((a, b) => b[1] - a[1]),
    );
    countTable(
      'EVENT TYPE',
      48,
      Object.entries(stats.byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    );
    return 0;
  } finally {
    await source.close();
  }
}
