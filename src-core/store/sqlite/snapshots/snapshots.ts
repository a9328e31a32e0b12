import type Database from 'better-sqlite3';
import { snapshotChecksum } from '../../snapshot-checksum';
import type { Snapshot } from '../../types';
import type { SchemaFeatures } from '../schema/features';

export type SnapshotInput = Omit<Snapshot, 'created_at'> & { created_at?: number };

/** One snapshot per aggregate in the seed's event_snapshots table (plus our reducer_version). */
export class Snapshots {
  /** Prepared on first use (a rebuild asks for a snapshot first: preparing it each time cost a small rebuild ~4 µs). */
  private loadStmt: Database.Statement | undefined;
  private saveStmt: Database.Statement | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly features: SchemaFeatures,
  ) {}

  load(aggregateType: string, aggregateId: string): Snapshot | null {
    if (!this.features.hasSnapshots) return null;
    const versionCol = this.features.hasSnapshotReducerVersion ? 'reducer_version' : 'NULL AS reducer_version';
    const checksumCol = this.features.hasSnapshotChecksum ? 'state_checksum AS checksum' : 'NULL AS checksum';
    this.loadStmt ??= this.db.prepare(
      `SELECT aggregate_type, aggregate_id, state, ${versionCol}, last_event_id, last_sequence_number, created_at, ${checksumCol}
         FROM event_snapshots WHERE aggregate_type = ? AND aggregate_id = ?`,
    );
    const row = this.loadStmt.get(aggregateType, aggregateId) as (Omit<Snapshot, 'state'> & { state: string }) | undefined;
    if (!row) return null;
    try {
      return { ...row, state: JSON.parse(row.state) as unknown };
    } catch {
      return null; // a corrupt snapshot is no snapshot: the rebuilder folds from the start
    }
  }

  /** Replaces the aggregate's snapshot, with the checksum of its state (computed here, whatever the input says). */
  save(snapshot: SnapshotInput, snapshotId: string, createdAt: number): void {
    const withChecksum = this.features.hasSnapshotChecksum;
    this.saveStmt ??= this.db.prepare(
      `INSERT INTO event_snapshots (snapshot_id, aggregate_type, aggregate_id, state, last_event_id, last_sequence_number, created_at, reducer_version${withChecksum ? ', state_checksum' : ''})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?${withChecksum ? ', ?' : ''})
         ON CONFLICT(aggregate_type, aggregate_id) DO UPDATE SET
           snapshot_id = excluded.snapshot_id, state = excluded.state, last_event_id = excluded.last_event_id,
           last_sequence_number = excluded.last_sequence_number, created_at = excluded.created_at,
           reducer_version = excluded.reducer_version${withChecksum ? ', state_checksum = excluded.state_checksum' : ''}`,
    );
    this.saveStmt.run(
      snapshotId,
      snapshot.aggregate_type,
      snapshot.aggregate_id,
      JSON.stringify(snapshot.state),
      snapshot.last_event_id,
      snapshot.last_sequence_number,
      createdAt,
      snapshot.reducer_version,
      ...(withChecksum ? [snapshotChecksum(snapshot)] : []),
    );
  }

  /** The aggregates that have a snapshot, in key order. */
  keys(): { aggregateType: string; aggregateId: string }[] {
    if (!this.features.hasSnapshots) return [];
    return this.db
      .prepare(
        'SELECT aggregate_type AS aggregateType, aggregate_id AS aggregateId FROM event_snapshots ORDER BY aggregate_type, aggregate_id',
      )
      .all() as { aggregateType: string; aggregateId: string }[];
  }
}
