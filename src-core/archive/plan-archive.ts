import type { ReducerRegistry } from '../rebuild/reducer-registry';
import type { Rebuilder } from '../rebuild/rebuilder';
import type { MoveSelection, SnapshotToWrite } from '../store/sqlite/archive-segment';
import { aggregateTypesOf, type EventReader } from '../store/types';
import { isTerminalState } from './terminal';

export interface PlannedMove extends MoveSelection {
  /** Events this move takes out of the live file. */
  events: number;
  /** ended: every event moves; up_to_snapshot: events before the cutoff, the live file keeps a snapshot. */
  reason: 'ended' | 'up_to_snapshot';
  snapshot: SnapshotToWrite | null;
}

export interface ArchivePlan {
  before: number;
  moves: PlannedMove[];
  events: number;
  /** Aggregates with events before the cutoff that stay whole: why, counted. */
  kept: { noReducer: number; anomalies: number; tooFew: number };
}

export interface PlanOptions {
  reader: EventReader;
  rebuilder: Rebuilder;
  reducers: ReducerRegistry;
  /** Unix ms: only events created before it move. */
  before: number;
}

const PAGE = 1000;

/**
 * Decides what moves. An aggregate whose last event is before the cutoff and whose reducer
 * calls its state terminal moves whole. Any other aggregate with events before the cutoff
 * (risk books, open positions, types without the hint) moves up to the event before the last
 * one before the cutoff: that event stays in the live file and a snapshot of the state after
 * it is written, so the live file alone still rebuilds the aggregate, and its sequence numbers
 * continue there. The row at the live file's head position never moves (SQLite would hand its
 * position out again). An aggregate whose fold shows anomalies or corrupt rows up to the
 * cutoff keeps its events: a snapshot would hide them.
 */
export async function planArchive(options: PlanOptions): Promise<ArchivePlan> {
  const { reader, rebuilder, reducers, before } = options;
  const head = await reader.headPosition();
  const plan: ArchivePlan = { before, moves: [], events: 0, kept: { noReducer: 0, anomalies: 0, tooFew: 0 } };
  const types = await aggregateTypesOf(reader);
  for (const aggregateType of types) {
    const reducer = reducers.get(aggregateType);
    for (let afterId: string | undefined; ;) {
      const page = await reader.listAggregates({ aggregateType, limit: PAGE, ...(afterId !== undefined ? { afterId } : {}) });
      for (const summary of page) {
        if (summary.first_at >= before) continue;
        if (!reducer) {
          plan.kept.noReducer++;
          continue;
        }
        const id = summary.aggregate_id;
        if (summary.last_at < before) {
          const now = await rebuilder.rebuild(aggregateType, id);
          if (now.lastEvent && now.lastEvent.position !== head && isTerminalState(reducers, aggregateType, now.state)) {
            plan.moves.push({
              aggregate_type: aggregateType,
              aggregate_id: id,
              upToSequence: now.version,
              whole: true,
              events: summary.events,
              reason: 'ended',
              snapshot: null,
            });
            plan.events += summary.events;
            continue;
          }
        }
        const cut = await rebuilder.rebuild(aggregateType, id, { asOfTime: before - 1 });
        if (cut.anomalies.length > 0 || cut.corrupt.length > 0) {
          plan.kept.anomalies++;
          continue;
        }
        if (!cut.lastEvent || cut.version < 2) {
          plan.kept.tooFew++;
          continue;
        }
        const moved = cut.version - 1;
        // An earlier archive may have taken some (or all) of these already: count what is here.
        const here = (await reader.readAggregate(aggregateType, id, { toSequence: moved })).length;
        if (here === 0) {
          plan.kept.tooFew++;
          continue;
        }
        plan.moves.push({
          aggregate_type: aggregateType,
          aggregate_id: id,
          upToSequence: moved,
          whole: false,
          events: here,
          reason: 'up_to_snapshot',
          snapshot: {
            aggregate_type: aggregateType,
            aggregate_id: id,
            state: cut.state,
            reducer_version: reducer.version,
            last_event_id: cut.lastEvent.event_id,
            last_sequence_number: cut.version,
          },
        });
        plan.events += here;
      }
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]!.aggregate_id;
    }
  }
  return plan;
}
