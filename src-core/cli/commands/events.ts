import type { EventRecord } from '../../events/types';
import type { EventFilter, EventReader } from '../../store/types';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { eventJson } from '../format/event-json';
import { renderEventTable } from '../format/event-rows';
import { plural } from '../format/text';
import { openReader, type SourceOptions } from '../log-source';
import { parseAggregateRef, parseCount, parseTime } from '../options';

export interface EventsOptions extends SourceOptions {
  type?: string[];
  aggregate?: string;
  since?: string;
  until?: string;
  correlation?: string;
  text?: string;
  limit?: string;
  after?: string;
  json?: boolean;
  ndjson?: boolean;
}

/** Rows the table shows unless --limit says otherwise; JSON and NDJSON are unlimited by default. */
export const DEFAULT_TABLE_LIMIT = 100;
const PAGE = 1000;

/** The filter part `events` and `tail` share: --type (repeatable) and --aggregate TYPE[:ID]. */
export function typeAndAggregateFilter(options: { type?: string[]; aggregate?: string }): EventFilter {
  const filter: EventFilter = {};
  if (options.type?.length) filter.types = options.type;
  if (options.aggregate !== undefined) {
    const ref = parseAggregateRef(options.aggregate);
    filter.aggregateType = ref.aggregateType;
    filter.aggregateId = ref.aggregateId;
  }
  return filter;
}

export function eventFilter(options: EventsOptions, now: number): EventFilter {
  const filter = typeAndAggregateFilter(options);
  if (options.since !== undefined) filter.since = parseTime(options.since, '--since', now);
  if (options.until !== undefined) filter.until = parseTime(options.until, '--until', now);
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new CliUsageError('--since is after --until: nothing can match');
  }
  if (options.correlation !== undefined) filter.correlationId = options.correlation;
  if (options.text !== undefined) filter.text = options.text;
  return filter;
}

/**
 * Walks the filtered stream in keyset pages from `after`, up to `limit` records (0: all),
 * handing each page on as it arrives so memory stays flat for NDJSON. Returns the cursor for
 * the next call, or null at the end.
 */
export async function walkEvents(
  reader: EventReader,
  filter: EventFilter,
  after: number | undefined,
  limit: number,
  onPage: (records: EventRecord[]) => void,
): Promise<number | null> {
  let cursor = after;
  let left = limit === 0 ? Number.POSITIVE_INFINITY : limit;
  while (left > 0) {
    const page = await reader.readPage(filter, {
      ...(cursor !== undefined ? { after: cursor } : {}),
      limit: Math.min(PAGE, left),
      direction: 'forward',
    });
    if (page.records.length > 0) onPage(page.records);
    left -= page.records.length;
    if (page.next === null) return null;
    cursor = page.next;
  }
  return cursor ?? null;
}

export async function runEvents(options: EventsOptions, ctx: CommandContext): Promise<number> {
  if (options.json && options.ndjson) throw new CliUsageError('choose one of --json and --ndjson');
  const filter = eventFilter(options, ctx.now());
  const after = options.after !== undefined ? parseCount(options.after, '--after') : undefined;
  const structured = options.json === true || options.ndjson === true;
  const limit = options.limit !== undefined ? parseCount(options.limit, '--limit') : structured ? 0 : DEFAULT_TABLE_LIMIT;
  const source = await openReader(options, ctx);
  try {
    const { io } = ctx;
    if (options.ndjson) {
      await walkEvents(source.reader, filter, after, limit, (records) => {
        io.out(records.map((r) => `${JSON.stringify(eventJson(r))}\n`).join(''));
      });
      return 0;
    }
    if (options.json) {
      let first = true;
      io.out('[');
      await walkEvents(source.reader, filter, after, limit, (records) => {
        for (const record of records) {
          io.out(`${first ? '\n' : ',\n'}${JSON.stringify(eventJson(record))}`);
          first = false;
        }
      });
      io.out(first ? ']\n' : '\n]\n');
      return 0;
    }
    const records: EventRecord[] = [];
    const next = await walkEvents(source.reader, filter, after, limit, (page) => void records.push(...page));
    if (records.length === 0) {
      io.out(io.c.dim('no events match\n'));
      return 0;
    }
    io.out(renderEventTable(records, io.width, io.c));
    const corrupt = records.filter((r) => 'corrupt' in r).length;
    const summary = plural(records.length, 'event') + (corrupt ? `, ${corrupt} corrupt` : '');
    io.out(io.c.dim(next !== null ? `${summary}; more after position ${next}: --after ${next}\n` : `${summary}\n`));
    return 0;
  } finally {
    await source.close();
  }
}
