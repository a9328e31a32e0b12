import type { CommandContext } from '../context';
import { eventJson } from '../format/event-json';
import { typeColor } from '../format/event-rows';
import { plural, stripAnsi, truncate, visibleLength } from '../format/text';
import { formatClock, formatDay, formatDuration, formatOffset, formatTime } from '../format/time';
import { aggregateLabel, payloadPreview } from '../format/value';
import type { Colors } from '../io';
import { openReader, type SourceOptions } from '../log-source';
import { causalTree, type TreeLine } from '../trace/causal-tree';
import { type ResolvedTrace, resolveTrace } from '../trace/resolve-trace';

export interface TraceOptions extends SourceOptions {
  json?: boolean;
}

/** A stable colour per aggregate type, so one aggregate's events are easy to follow down the tree. */
function aggregateColor(type: string, c: Colors): (text: string) => string {
  const palette = [c.cyan, c.magenta, c.blue, c.green, c.yellow];
  let hash = 0;
  for (const ch of type) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length]!;
}

function header(trace: ResolvedTrace, lines: TreeLine[], width: number, c: Colors): string {
  // A foreign row may carry a text created_at: span only the times that are times.
  const times = lines.map((l) => l.record.created_at as unknown).filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  const first = times.length ? Math.min(...times) : Number.NaN;
  const last = times.length ? Math.max(...times) : Number.NaN;
  const aggregates = new Set(lines.map((l) => `${l.record.aggregate_type}:${l.record.aggregate_id}`)).size;
  const how = {
    correlation: 'a correlation id',
    event: trace.correlationIds.length ? 'an event id' : 'an event id, with the events it caused',
    aggregate: 'an aggregate id',
  }[trace.resolvedAs];
  const out = [`${c.bold(`trace ${truncate(trace.query, width - 30)}`)} ${c.dim(`(${how})`)}`];
  if (trace.resolvedAs !== 'correlation' && trace.correlationIds.length > 0) {
    out.push(c.dim(truncate(`correlation ${trace.correlationIds.join(', ')}`, width)));
  }
  out.push(
    truncate(
      `${plural(lines.length, 'event')} · ${plural(aggregates, 'aggregate')} · ` +
        (times.length
          ? `${formatTime(first).slice(0, 19)} → ${formatClock(last).slice(0, 8)} UTC · ${formatDuration(last - first)}`
          : 'no valid times'),
      width,
    ),
  );
  return `${out.join('\n')}\n`;
}

function renderLine(line: TreeLine, start: number, focus: string | null, width: number, c: Colors): string {
  const r = line.record;
  const corrupt = 'corrupt' in r;
  const head = `${formatClock(r.created_at)}  ${formatOffset(r.created_at, start).padEnd(9)}  ${line.prefix}`;
  const type = corrupt ? c.red(`${r.event_type} CORRUPT`) : typeColor(r.event_type, c);
  const agg = aggregateColor(r.aggregate_type, c)(aggregateLabel(r));
  const mark = r.event_id === focus ? c.bold(' ◀') : '';
  const main = `${c.dim(head)}${type} ${agg}${mark}`;
  const room = width - visibleLength(main) - 2;
  const preview = payloadPreview(r);
  if (room < 8 || preview === '') return visibleLength(main) > width ? truncate(stripAnsi(main), width) : main;
  return `${main}  ${corrupt ? c.red(truncate(preview, room)) : c.dim(truncate(preview, room))}`;
}

export async function runTrace(query: string, options: TraceOptions, ctx: CommandContext): Promise<number> {
  const source = await openReader(options, ctx);
  let trace: ResolvedTrace;
  try {
    trace = await resolveTrace(source.reader, query);
  } finally {
    await source.close();
  }
  const lines = causalTree(trace.records);
  const { io } = ctx;
  const { c } = io;
  if (options.json) {
    const body = {
      query: trace.query,
      resolved_as: trace.resolvedAs,
      correlation_ids: trace.correlationIds,
      focus: trace.focus,
      truncated: trace.truncated,
      events: lines.map((l) => ({ depth: l.depth, caused_by: l.parent, ...eventJson(l.record) })),
    };
    io.out(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  io.out(header(trace, lines, io.width, c));
  const start = Math.min(
    ...lines.map((l) => l.record.created_at as unknown).filter((t): t is number => typeof t === 'number' && Number.isFinite(t)),
  );
  let day = formatDay(start);
  io.out('\n');
  let tree = 0;
  for (const line of lines) {
    if (line.tree !== tree) {
      io.out('\n'); // a separate causal tree: an event with no cause in this set
      tree = line.tree;
    }
    const today = formatDay(line.record.created_at);
    if (today !== day) {
      io.out(`${c.dim(`── ${today} ──`)}\n`);
      day = today;
    }
    io.out(`${renderLine(line, start, trace.focus, io.width, c)}\n`);
  }
  if (trace.truncated) io.out(c.yellow('(stopped looking for caused events after 100000 rows; the tree may be incomplete)\n'));
  return 0;
}
