import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { stateView } from '../format/state-view';
import { renderPairs } from '../format/table';
import { formatTime } from '../format/time';
import { openReader, type SourceOptions } from '../log-source';
import { parseCount, parseTime } from '../options';
import { openPluginSession } from '../plugin-session';
import type { RebuildOptions } from '../../rebuild/types';

export interface ShowOptions extends SourceOptions {
  asOfSeq?: string;
  asOf?: string;
  json?: boolean;
  full?: boolean;
}

export async function runShow(aggregateType: string, aggregateId: string, options: ShowOptions, ctx: CommandContext): Promise<number> {
  const point: RebuildOptions = {};
  if (options.asOfSeq !== undefined) point.asOfSequence = parseCount(options.asOfSeq, '--as-of-seq', 1);
  if (options.asOf !== undefined) point.asOfTime = parseTime(options.asOf, '--as-of', ctx.now());
  const source = await openReader(options, ctx);
  try {
    const session = await openPluginSession(source);
    try {
      session.reducers.require(aggregateType); // an unknown type fails before any read
      const total = await source.reader.aggregateVersion(aggregateType, aggregateId);
      if (total === 0) throw new CliUsageError(`no events for ${aggregateType}:${aggregateId} in ${source.label}`);
      const result = await session.rebuilder.rebuild(aggregateType, aggregateId, point);
      if (!result.exists) {
        throw new CliUsageError(`${aggregateType}:${aggregateId} has no events at or before ${describePoint(point)}`);
      }
      const { io } = ctx;
      const ignored = result.snapshot.ignored;
      if (ignored === 'checksum' || ignored === 'state_shape') {
        // Reported, never shown: the state below is the events' own.
        const why = ignored === 'checksum' ? 'its checksum does not match its state' : "its state is not this reducer's shape";
        io.err(io.c.yellow(`! the stored snapshot of ${aggregateType}:${aggregateId} was ignored: ${why}\n`));
      }
      if (options.json) {
        io.out(`${JSON.stringify(result.state, null, 2)}\n`);
        return 0;
      }
      const { c } = io;
      const last = result.lastEvent;
      const head = [
        c.bold(`${aggregateType}:${aggregateId}`),
        `version ${result.version} of ${total}`,
        last ? `last ${last.event_type} at ${formatTime(last.created_at)} UTC` : '',
      ].filter(Boolean);
      io.out(`${head.join(c.dim(' · '))}\n`);
      const notes: string[] = [];
      if (point.asOfSequence !== undefined || point.asOfTime !== undefined) notes.push(`as of ${describePoint(point)}`);
      if (result.fromSnapshot) notes.push(`from a snapshot + ${result.eventsApplied} event(s)`);
      if (notes.length) io.out(c.dim(`${notes.join('; ')}\n`));
      io.out('\n');
      io.out(renderPairs(stateView(result.state, options.full), io.width, c));
      if (!options.full) io.out(c.dim('(long histories summarized: --full lists every entry, --json gives the state as JSON)\n'));
      for (const anomaly of result.anomalies) {
        io.out(c.yellow(`! #${anomaly.sequence_number} ${anomaly.event_type}: ${anomaly.kind}: ${anomaly.reason}\n`));
      }
      for (const row of result.corrupt) {
        io.out(c.red(`! #${row.sequence_number ?? '?'} ${row.event_type} ${row.event_id}: corrupt ${row.field}, skipped\n`));
      }
      return 0;
    } finally {
      await session.close();
    }
  } finally {
    await source.close();
  }
}

function describePoint(point: RebuildOptions): string {
  const parts: string[] = [];
  if (point.asOfSequence !== undefined) parts.push(`sequence ${point.asOfSequence}`);
  if (point.asOfTime !== undefined) parts.push(`${formatTime(point.asOfTime)} UTC`);
  return parts.join(' and ');
}
