import type { CommandContext } from '../context';
import type { SourceOptions } from '../log-source';
import { plural } from '../format/text';
import { withWriteSession } from '../write-session';
import { typesToRebuild } from './snapshot';

export interface RebuildAllOptions extends SourceOptions {
  json?: boolean;
}

interface TypeOutcome {
  aggregateType: string;
  aggregates: number;
  events: number;
  snapshotsWritten: number;
  fromSnapshot: number;
  withAnomalies: string[];
  withCorruptRows: string[];
  snapshotErrors: string[];
}

/**
 * Rebuilds every aggregate through the rebuilder, which writes snapshots per the config's
 * policy (every N events). Opens the file read-write. A report per aggregate type.
 */
export async function runRebuildAll(type: string | undefined, options: RebuildAllOptions, ctx: CommandContext): Promise<number> {
  const outcomes: TypeOutcome[] = [];
  await withWriteSession(options, ctx, async ({ source, session, progress }) => {
    for (const aggregateType of await typesToRebuild(session, source.reader, type)) {
      const o: TypeOutcome = {
        aggregateType,
        aggregates: 0,
        events: 0,
        snapshotsWritten: 0,
        fromSnapshot: 0,
        withAnomalies: [],
        withCorruptRows: [],
        snapshotErrors: [],
      };
      const results = session.rebuilder.rebuildAll(aggregateType, {
        onProgress: (p) => (p.done === 0 ? progress.start(p.total, `rebuild ${aggregateType}`) : progress.update(p.done)),
      });
      for await (const r of results) {
        const name = `${r.aggregateType}:${r.aggregateId}`;
        o.aggregates++;
        o.events += r.eventsApplied;
        if (r.snapshot.written) o.snapshotsWritten++;
        if (r.fromSnapshot) o.fromSnapshot++;
        if (r.anomalies.length > 0) o.withAnomalies.push(name);
        if (r.corrupt.length > 0) o.withCorruptRows.push(name);
        if (r.snapshot.writeError) o.snapshotErrors.push(`${name}: ${r.snapshot.writeError}`);
      }
      progress.stop();
      outcomes.push(o);
    }
  });
  const { io } = ctx;
  if (options.json) {
    io.out(`${JSON.stringify(outcomes, null, 2)}\n`);
  } else {
    if (outcomes.length === 0) io.out(io.c.dim('no aggregates of a type any loaded plugin rebuilds\n'));
    for (const o of outcomes) {
      io.out(
        `${io.c.bold(o.aggregateType)}: ${o.aggregates} rebuilt (${plural(o.events, 'event')} folded, ${o.fromSnapshot} from a snapshot), ` +
          `${plural(o.snapshotsWritten, 'snapshot')} written\n`,
      );
      if (o.withAnomalies.length)
        io.out(io.c.yellow(`  anomalies in ${o.withAnomalies.length}: ${o.withAnomalies.slice(0, 10).join(', ')}\n`));
      if (o.withCorruptRows.length)
        io.out(io.c.red(`  corrupt rows in ${o.withCorruptRows.length}: ${o.withCorruptRows.slice(0, 10).join(', ')}\n`));
      for (const e of o.snapshotErrors.slice(0, 10)) io.out(io.c.red(`  snapshot not written: ${e}\n`));
    }
  }
  return outcomes.some((o) => o.snapshotErrors.length > 0) ? 1 : 0;
}
