import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { toRecord, type EventRow } from '../../row-mapper';
import type { PositionJoin } from '../positions';

/** One event by id: the seed's primary key finds the row, the position link its position. */
export class GetEvent {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database, join: PositionJoin) {
    this.stmt = db.prepare(`SELECT ${join.select} FROM ${join.byLog} WHERE e.event_id = ?`);
  }

  sync(eventId: string): EventRecord | null {
    const row = this.stmt.get(eventId) as EventRow | undefined;
    return row ? toRecord(row) : null;
  }
}
