import { setTimeout as sleep } from 'node:timers/promises';
import type { EventRecord } from '../../events/types';
import type { CommandContext } from '../context';
import { eventJson } from '../format/event-json';
import { EVENT_COLUMNS, eventCells } from '../format/event-rows';
import { layoutColumns } from '../format/table';
import { stripAnsi, truncate, visibleLength } from '../format/text';
import { typeAndAggregateFilter } from './events';
import { formatDay } from '../format/time';
import { openReader, type SourceOptions } from '../log-source';
import { parseCount } from '../options';
import type { EventFilter, EventReader } from '../../store/types';
import type { Colors } from '../io';

export interface TailOptions extends SourceOptions {
  type?: string[];
  aggregate?: string;
  last?: string;
  from?: string;
  interval?: string;
  ndjson?: boolean;
}

const PAGE = 500;

/** Fixed widths for a stream: the table cannot measure rows that have not arrived yet. */
function tailWidths(width: number): number[] {
  const sample: string[] = ['999999', '00:00:00.000', 'X'.repeat(22), 'X'.repeat(20), ''];
  return layoutColumns(EVENT_COLUMNS, [sample], width);
}

function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const plainLength = visibleLength(text);
  if (plainLength > width) return truncate(stripAnsi(text), width);
  const pad = ' '.repeat(width - plainLength);
  return align === 'right' ? pad + text : text + pad;
}

function tailLine(record: EventRecord, widths: number[], c: Colors): string {
  const cells = eventCells(record, c);
  return `${cells
    .map((cell, i) => fit(cell, widths[i]!, EVENT_COLUMNS[i]!.align))
    .join('  ')
    .replace(/\s+$/, '')}\n`;
}

/** Position to start after: --from, else enough before the head to show the last n matches. */
async function startAfter(reader: EventReader, filter: EventFilter, options: TailOptions): Promise<number> {
  if (options.from !== undefined) return parseCount(options.from, '--from');
  const last = parseCount(options.last ?? '10', '--last');
  const head = await reader.headPosition();
  if (last === 0) return head;
  const page = await reader.readPage(filter, { limit: last, direction: 'backward', after: head + 1 });
  const oldest = page.records[page.records.length - 1];
  return oldest ? oldest.position - 1 : head;
}

/**
 * Follows the log: polls the reader's head position and reads the pages after the last
 * position seen. Ends on SIGINT/SIGTERM with exit 0. Works while another process writes.
 */
export async function runTail(options: TailOptions, ctx: CommandContext): Promise<number> {
  const interval = parseCount(options.interval ?? '500', '--interval', 10);
  const filter = typeAndAggregateFilter(options);
  const source = await openReader(options, ctx);
  const signal = ctx.interrupts();
  const { io } = ctx;
  const widths = tailWidths(io.width);
  let day: string | null = null;
  const print = (record: EventRecord): void => {
    if (options.ndjson) {
      io.out(`${JSON.stringify(eventJson(record))}\n`);
      return;
    }
    const today = formatDay(record.created_at);
    if (today !== day) {
      io.out(`${io.c.dim(`── ${today} ──`)}\n`);
      day = today;
    }
    io.out(tailLine(record, widths, io.c));
  };
  try {
    let after = await startAfter(source.reader, filter, options);
    // On stderr, so stdout stays pure NDJSON for a pipe.
    io.err(io.ce.dim(`following ${source.label} after position ${after} (Ctrl-C to stop)\n`));
    let seenHead = -1;
    while (!signal.aborted) {
      const head = await source.reader.headPosition();
      if (head !== seenHead) {
        // Drain everything past `after`, a page at a time; the head may move meanwhile.
        for (;;) {
          const page = await source.reader.readPage(filter, { after, limit: PAGE, direction: 'forward' });
          for (const record of page.records) print(record);
          const lastRecord = page.records[page.records.length - 1];
          // With a filter, skipped positions still count as seen.
          after = page.next ?? Math.max(lastRecord?.position ?? after, head);
          if (page.next === null) break;
        }
        seenHead = head;
      }
      try {
        await sleep(interval, undefined, { signal });
      } catch {
        break; // interrupted
      }
    }
    return 0;
  } finally {
    await source.close();
  }
}
