/**
 * What `verify` reads about archiving (issue 19), kept apart from the checks themselves:
 * - on a live file alone, the events archived out of it are not gaps: the file records how
 *   many went to which archive, and for each aggregate that stays live up to which sequence
 *   its first events went. A leading gap of exactly that prefix is reported as archived; any
 *   other gap still fails. Such an aggregate's snapshot covers archived events, so it is
 *   checked over the live file and its archives (not checked when they are not there).
 * - over several files, a move a kill interrupted (rows in both files until the next
 *   writable open repairs them) is named as that, not as duplicates: readers count them once.
 */
import { existsSync } from 'node:fs';
import type { ReducerRegistry } from '../../rebuild/reducer-registry';
import type { UpcastSource } from '../../rebuild/fold';
import { openSegmentedLog } from '../../segments/open-segments';
import { SegmentedLog } from '../../segments/segmented-log';
import { prefixKey, readArchiveRecord, type ArchiveRecord, type InterruptedMove } from '../../store/sqlite/archive-segment';
import type { SequenceProblem, SnapshotStore } from '../../store/types';
import type { LogSource } from '../log-source';
import { checkSnapshots, type SnapshotReport } from '../verify/snapshot-check';

export interface ArchiveReport {
  /** Events this live file records as archived, per archive file (verify on the live file alone). */
  archived: { file: string; events: number }[];
  /** Aggregates whose leading gap is exactly their archived prefix (not counted as problems). */
  archivedPrefixes: number;
  /** Snapshots covering archived events that could not be checked: an archive file is not there. */
  snapshotsNeedingArchive: number;
  /** Moves not finished: their copies are in both files until a writable open repairs them. */
  interrupted: InterruptedMove[];
}

type Key = { aggregateType: string; aggregateId: string };

export class VerifyArchive {
  private explained = 0;
  private needArchive = 0;

  private constructor(
    /** The live file verified alone, with its record; null over several files. */
    private readonly single: { file: string; record: ArchiveRecord } | null,
    private readonly interrupted: InterruptedMove[],
  ) {}

  /** null when no file of the source records any archive move (nothing to say). */
  static open(source: LogSource): VerifyArchive | null {
    const files = source.sqlite
      ? [source.sqlite.file]
      : source.reader instanceof SegmentedLog
        ? source.reader.segments.map((s) => s.label)
        : [];
    const records = files.flatMap((file) => {
      try {
        const record = readArchiveRecord(file);
        return record ? [{ file, record }] : [];
      } catch {
        return []; // not readable as a plain file here (a private copy's case): nothing recorded
      }
    });
    if (records.length === 0) return null;
    const interrupted = records.flatMap((r) => r.record.interrupted).filter((m) => m.copies > 0 || files.length === 1);
    return new VerifyArchive(source.sqlite ? records[0]! : null, interrupted);
  }

  /** The sequence problems left once each archived prefix is recognised as one. */
  sequences(problems: SequenceProblem[]): SequenceProblem[] {
    const prefixes = this.single?.record.prefixes;
    if (!prefixes || prefixes.size === 0) return problems;
    return problems.filter((p) => {
      const upTo = p.kind === 'gap' ? prefixes.get(prefixKey(p.aggregate_type, p.aggregate_id)) : undefined;
      const archived = upTo !== undefined && p.missing?.from === 1 && p.missing.to === upTo;
      if (archived) this.explained++;
      return !archived;
    });
  }

  /**
   * Snapshots checked as verify does, except those of aggregates with an archived prefix on a
   * live file alone: those are rebuilt over the live file and the archives it names.
   */
  async snapshots(
    keys: Key[],
    deps: { reader: LogSource['reader']; snapshots: SnapshotStore; reducers: ReducerRegistry; upcaster: UpcastSource },
  ): Promise<SnapshotReport> {
    const prefixes = this.single?.record.prefixes;
    const archived = prefixes ? keys.filter((k) => prefixes.has(prefixKey(k.aggregateType, k.aggregateId))) : [];
    const own = archived.length ? keys.filter((k) => !prefixes!.has(prefixKey(k.aggregateType, k.aggregateId))) : keys;
    const report = await checkSnapshots(own, deps);
    if (archived.length === 0) return report;
    const files = this.single!.record.archived.map((a) => a.file);
    if (!files.every((f) => existsSync(f))) {
      this.needArchive += archived.length;
      return report;
    }
    const log = openSegmentedLog([this.single!.file, ...files]);
    try {
      const more = await checkSnapshots(archived, { ...deps, reader: log });
      return {
        checked: report.checked + more.checked,
        problems: [...report.problems, ...more.problems],
        stale: report.stale + more.stale,
        unchecked: report.unchecked + more.unchecked,
      };
    } finally {
      await log.close();
    }
  }

  report(): ArchiveReport {
    return {
      archived: this.single?.record.archived ?? [],
      archivedPrefixes: this.explained,
      snapshotsNeedingArchive: this.needArchive,
      interrupted: this.interrupted,
    };
  }
}

/** The report's lines about archiving (none when nothing was archived). */
export function archiveLines(report: ArchiveReport, note: (text: string) => void, warn: (text: string) => void): void {
  for (const a of report.archived) {
    note(`archived: ${a.events} event(s) moved to ${a.file} (verify them with --db ${a.file} as well)`);
  }
  if (report.archivedPrefixes > 0)
    note(`archived: ${report.archivedPrefixes} aggregate(s) start past 1 because their first events are archived`);
  if (report.snapshotsNeedingArchive > 0) {
    warn(`${report.snapshotsNeedingArchive} snapshot(s) cover archived events and were not checked: an archive file above is missing`);
  }
  for (const m of report.interrupted) {
    warn(
      `archive move interrupted or in progress: ${m.copies} event(s) in both ${m.liveFile} and ${m.archiveFile} (batch ${m.batchId}); ` +
        'every reader counts them once, and the next writable open of either file (a bot start, catalyst-events archive) removes the copies',
    );
  }
}
