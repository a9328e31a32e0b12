import { isCorruptEvent } from '../../events/types';
import { VERIFY_TOLERANCE } from '../../rebuild/rebuilder';
import { diff } from '../../rebuild/diff';
import { foldRecords, type UpcastSource } from '../../rebuild/fold';
import type { ReducerRegistry } from '../../rebuild/reducer-registry';
import type { EventReader, SnapshotStore } from '../../store/types';
import { inline } from '../format/value';

export interface SnapshotProblem {
  aggregate_type: string;
  aggregate_id: string;
  last_sequence_number: number;
  reason: string;
}

export interface SnapshotReport {
  /** Snapshots compared with a rebuild. */
  checked: number;
  problems: SnapshotProblem[];
  /** Taken with another reducer version: rebuilds ignore them, so they cannot mislead. */
  stale: number;
  /** No reducer loaded for their type: not checked. */
  unchecked: number;
}

const DIFFS_SHOWN = 3;

/**
 * Rebuilds each snapshotted aggregate from its first event up to the snapshot's last one,
 * ignoring the snapshot, and compares the states (numbers within the verify tolerance).
 */
export async function checkSnapshots(
  keys: Iterable<{ aggregateType: string; aggregateId: string }>,
  deps: { reader: EventReader; snapshots: SnapshotStore; reducers: ReducerRegistry; upcaster: UpcastSource },
): Promise<SnapshotReport> {
  const report: SnapshotReport = { checked: 0, problems: [], stale: 0, unchecked: 0 };
  for (const { aggregateType, aggregateId } of keys) {
    const snapshot = await deps.snapshots.loadSnapshot(aggregateType, aggregateId);
    if (!snapshot) continue;
    const reducer = deps.reducers.get(aggregateType);
    if (!reducer) {
      report.unchecked++;
      continue;
    }
    if (snapshot.reducer_version !== reducer.version) {
      report.stale++;
      continue;
    }
    report.checked++;
    const at = snapshot.last_sequence_number;
    const problem = (reason: string): void => {
      report.problems.push({ aggregate_type: aggregateType, aggregate_id: aggregateId, last_sequence_number: at, reason });
    };
    const records = await deps.reader.readAggregate(aggregateType, aggregateId, { toSequence: at });
    const last = records[records.length - 1];
    if (!last || last.sequence_number !== at) {
      problem(`its last event (sequence ${at}) is not in the log`);
      continue;
    }
    if (last.event_id !== snapshot.last_event_id) {
      problem(`sequence ${at} is event ${last.event_id} in the log but ${snapshot.last_event_id} in the snapshot`);
      continue;
    }
    if (records.some(isCorruptEvent)) {
      problem('a corrupt row lies before it: the rebuild cannot reproduce it');
      continue;
    }
    const folded = foldRecords(
      reducer,
      { state: structuredClone(reducer.initialState(aggregateId)), version: 0, lastEvent: null },
      records,
      { upcaster: deps.upcaster },
    );
    const differences = diff(folded.state, snapshot.state, {
      absoluteTolerance: VERIFY_TOLERANCE,
      relativeTolerance: VERIFY_TOLERANCE,
    });
    if (differences.length > 0) {
      const shown = differences
        .slice(0, DIFFS_SHOWN)
        .map((d) =>
          d.kind === 'added'
            ? `${d.path} only in the snapshot`
            : d.kind === 'removed'
              ? `${d.path} missing from the snapshot`
              : `${d.path}: rebuilt ${inline(d.before)}, snapshot ${inline(d.after)}`,
        )
        .join('; ');
      const more = differences.length > DIFFS_SHOWN ? ` (+${differences.length - DIFFS_SHOWN} more)` : '';
      problem(`differs from a rebuild: ${shown}${more}`);
    }
  }
  return report;
}
