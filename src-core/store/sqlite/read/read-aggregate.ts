import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { toRecord, type EventRow } from '../../row-mapper';
import type { AggregateRange } from '../../types';
import type { PositionJoin } from '../positions';

/** An aggregate's events in sequence order, bounded by sequence and time. */
export class ReadAggregate {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database, join: PositionJoin) {
    this.stmt = db.prepare(
      `SELECT ${join.select} FROM ${join.byLog}
       WHERE e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?
       ORDER BY e.sequence_number`,
    );
  }

  sync(aggregateType: string, aggregateId: string, range: AggregateRange = {}): EventRecord[] {
    const rows = this.stmt.all(
      aggregateType,
      aggregateId,
      range.fromSequence ?? Number.MIN_SAFE_INTEGER,
      range.toSequence ?? Number.MAX_SAFE_INTEGER,
      range.untilTime ?? Number.MAX_SAFE_INTEGER,
    ) as EventRow[];
    return rows.map(toRecord);
  }
}
