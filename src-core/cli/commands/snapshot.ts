import type { CatalystReader } from '../../container/create-catalyst';
import type { RebuildResult } from '../../rebuild/types';
import { aggregateTypesOf, type EventReader } from '../../store/types';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import type { SourceOptions } from '../log-source';
import { withWriteSession } from '../write-session';

export interface SnapshotOptions extends SourceOptions {
  json?: boolean;
}

export interface SnapshotOutcome {
  written: number;
  upToDate: number;
  /** Not snapshotted: a snapshot past an anomaly or a corrupt row would hide it from later rebuilds. */
  skipped: { aggregate: string; reason: string }[];
  failed: { aggregate: string; reason: string }[];
}

/** Aggregate types to work on: the one asked for, else every type that has events and a reducer. */
export async function typesToRebuild(session: CatalystReader, reader: EventReader, type: string | undefined): Promise<string[]> {
  if (type !== undefined) {
    session.reducers.require(type);
    return [type];
  }
  const present = new Set(await aggregateTypesOf(reader));
  return session.reducers.types().filter((t) => present.has(t));
}

export async function aggregateIds(reader: EventReader, type: string): Promise<string[]> {
  const ids: string[] = [];
  for (let afterId: string | undefined; ;) {
    const page = await reader.listAggregates({ aggregateType: type, limit: 1000, ...(afterId !== undefined ? { afterId } : {}) });
    ids.push(...page.map((a) => a.aggregate_id));
    if (page.length < 1000) return ids;
    afterId = page[page.length - 1]!.aggregate_id;
  }
}

function saveCurrent(session: CatalystReader, result: RebuildResult, outcome: SnapshotOutcome): void {
  const name = `${result.aggregateType}:${result.aggregateId}`;
  if (!result.exists || !result.lastEvent) return;
  if (result.anomalies.length > 0 || result.corrupt.length > 0) {
    const reason =
      result.corrupt.length > 0
        ? `${result.corrupt.length} corrupt row(s)`
        : `${result.anomalies.length} anomaly(ies): ${result.anomalies[0]!.reason}`;
    outcome.skipped.push({ aggregate: name, reason });
    return;
  }
  if (result.snapshot.written) {
    outcome.written++;
    return;
  }
  if (result.fromSnapshot && result.eventsApplied === 0) {
    outcome.upToDate++;
    return;
  }
  try {
    session.store.saveSnapshot({
      aggregate_type: result.aggregateType,
      aggregate_id: result.aggregateId,
      state: result.state,
      reducer_version: session.reducers.require(result.aggregateType).version,
      last_event_id: result.lastEvent.event_id,
      last_sequence_number: result.lastEvent.sequence_number,
    });
    outcome.written++;
  } catch (error) {
    outcome.failed.push({ aggregate: name, reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Snapshots each aggregate at its current state, whatever the every-N policy says, so the
 * next rebuild starts there. Opens the file read-write.
 */
export async function runSnapshot(
  type: string | undefined,
  id: string | undefined,
  options: SnapshotOptions,
  ctx: CommandContext,
): Promise<number> {
  const outcome: SnapshotOutcome = { written: 0, upToDate: 0, skipped: [], failed: [] };
  await withWriteSession(options, ctx, async ({ source, session, progress }) => {
    const types = await typesToRebuild(session, source.reader, type);
    for (const aggregateType of types) {
      const ids = id !== undefined ? [id] : await aggregateIds(source.reader, aggregateType);
      if (id !== undefined && (await source.reader.aggregateVersion(aggregateType, id)) === 0) {
        throw new CliUsageError(`no events for ${aggregateType}:${id} in ${source.label}`);
      }
      progress.start(ids.length, `snapshot ${aggregateType}`);
      for (const [i, aggregateId] of ids.entries()) {
        saveCurrent(session, await session.rebuilder.rebuild(aggregateType, aggregateId), outcome);
        progress.update(i + 1);
      }
      progress.stop();
    }
  });
  const { io } = ctx;
  if (options.json) {
    io.out(`${JSON.stringify(outcome, null, 2)}\n`);
  } else {
    io.out(
      `snapshots written: ${outcome.written}, already current: ${outcome.upToDate}, skipped: ${outcome.skipped.length}${outcome.failed.length ? `, failed: ${outcome.failed.length}` : ''}\n`,
    );
    for (const s of outcome.skipped.slice(0, 20)) io.out(io.c.yellow(`  skipped ${s.aggregate}: ${s.reason}\n`));
    for (const f of outcome.failed.slice(0, 20)) io.out(io.c.red(`  failed ${f.aggregate}: ${f.reason}\n`));
  }
  return outcome.failed.length > 0 ? 1 : 0;
}
