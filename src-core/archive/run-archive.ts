import { statSync } from 'node:fs';
import type { ReducerRegistry } from '../rebuild/reducer-registry';
import type { Rebuilder } from '../rebuild/rebuilder';
import {
  type ArchiveStage,
  compactLiveFile,
  moveToArchive,
  type MoveResult,
  recoverArchive,
  type RecoveryResult,
} from '../store/sqlite/archive-segment';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import type { EventReader } from '../store/types';
import { type ArchivePlan, planArchive } from './plan-archive';

/** What {@link runArchive} moves, from where to where. */
export interface ArchiveOptions {
  /** The SQLite log events move out of. */
  liveFile: string;
  /** The segment they move into; created when missing. */
  archiveFile: string;
  /** Cutoff, Unix ms: only events created before it move. */
  before: number;
  /** The live file read through the plugins (read-only): what the plan rebuilds with. */
  reader: EventReader;
  rebuilder: Rebuilder;
  reducers: ReducerRegistry;
  dryRun?: boolean;
  /** VACUUM the live file after the move so it shrinks on disk (default true). */
  compact?: boolean;
  /** The time recorded on the move's bookkeeping rows, Unix ms. */
  now: number;
  /** Names this move in both files' bookkeeping; a retry after a failed attempt gets a `.2`, `.3` suffix. */
  batchId: string;
  /** How long (ms) each connection waits for another's lock (default 5,000). */
  busyTimeoutMs?: number;
  /**
   * Called after the plan and after each step of the move commits: `planned`, `intent`, `copied`,
   * `removed`, `done` (for progress output).
   */
  onStage?: (stage: ArchiveStage | 'planned') => void;
}

/** What {@link runArchive} did (dry run: would do). */
export interface ArchiveOutcome {
  liveFile: string;
  archiveFile: string;
  before: number;
  dryRun: boolean;
  /** Interrupted earlier moves this run rolled back or completed first (none in a dry run). */
  recovered: RecoveryResult;
  /** Aggregates moving whole (`ended`) and moving up to a snapshot kept in the live file (`upToSnapshot`). */
  aggregates: { ended: number; upToSnapshot: number };
  /** Aggregates with events before the cutoff that stay whole, counted by reason. */
  kept: ArchivePlan['kept'];
  /** Events moved (dry run: that would move). */
  events: number;
  /** The move's record (batch id, events, checksum, positions); null in a dry run or when nothing moved. */
  move: MoveResult | null;
  /** Size of the live file and its WAL before, in bytes. */
  liveBytesBefore: number;
  /** Size of the live file and its WAL after (and after compaction), in bytes. */
  liveBytesAfter: number;
}

function fileBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${file}${suffix}`).size;
    } catch {
      // no WAL beside it
    }
  }
  return total;
}

/**
 * `archive --before TIME --to FILE`: finish any move a kill interrupted, plan, then move (or,
 * dry run, only say what would move), then compact the live file (unless told not to: the
 * freed pages are reused by later appends anyway).
 */
export async function runArchive(options: ArchiveOptions): Promise<ArchiveOutcome> {
  const recovered = options.dryRun ? { rolledBack: [], completed: [] } : recoverArchive(options.liveFile, options.busyTimeoutMs);
  const liveBytesBefore = fileBytes(options.liveFile);
  const plan = await planArchive({
    reader: options.reader,
    rebuilder: options.rebuilder,
    reducers: options.reducers,
    before: options.before,
  });
  options.onStage?.('planned');
  const outcome: ArchiveOutcome = {
    liveFile: options.liveFile,
    archiveFile: options.archiveFile,
    before: options.before,
    dryRun: !!options.dryRun,
    recovered,
    aggregates: {
      ended: plan.moves.filter((m) => m.whole).length,
      upToSnapshot: plan.moves.filter((m) => !m.whole).length,
    },
    kept: plan.kept,
    events: plan.events,
    move: null,
    liveBytesBefore,
    liveBytesAfter: liveBytesBefore,
  };
  if (options.dryRun || plan.moves.length === 0) return outcome;
  // Both files as logs of this schema version (the archive created as a segment if missing);
  // each read-write open also repairs a move a kill interrupted, from either side.
  for (const file of [options.liveFile, options.archiveFile]) {
    SqliteEventStore.open({ file, ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}) }).close();
  }
  outcome.move = moveToArchive({
    liveFile: options.liveFile,
    archiveFile: options.archiveFile,
    batchId: options.batchId,
    selection: plan.moves,
    snapshots: plan.moves.flatMap((m) => (m.snapshot ? [m.snapshot] : [])),
    now: options.now,
    ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
    ...(options.onStage ? { onStage: options.onStage } : {}),
  });
  outcome.events = outcome.move.events;
  if (options.compact !== false) compactLiveFile(options.liveFile, options.busyTimeoutMs);
  outcome.liveBytesAfter = fileBytes(options.liveFile);
  return outcome;
}
