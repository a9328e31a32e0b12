import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { toRecord, type EventRow } from '../../row-mapper';
import type { PositionJoin } from '../positions';
import { correlationExpr } from '../schema/ddl';

/** Every event of one correlation id, in global order (found through the correlation index). */
export class ReadByCorrelation {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database, join: PositionJoin) {
    this.stmt = db.prepare(`SELECT ${join.select} FROM ${join.byLog} WHERE ${correlationExpr('e.metadata')} = ? ORDER BY ${join.col}`);
  }

  sync(correlationId: string): EventRecord[] {
    return (this.stmt.all(correlationId) as EventRow[]).map(toRecord);
  }
}
