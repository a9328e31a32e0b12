import type Database from 'better-sqlite3';
import { isCorruptRow } from '../../row-mapper';
import type { RawEventRow } from '../../types';
import type { PositionJoin } from '../positions';

/**
 * Rows after a position, as the file holds them (text untouched, so corrupt rows and unusual
 * JSON formatting travel byte for byte), with SQLite's reading of the correlation id and the
 * row mapper's verdict on validity: what the forwarder ships.
 */
export class RawBatch {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database, join: PositionJoin) {
    this.stmt = db.prepare(
      `SELECT ${join.col} AS position, e.event_id, e.event_type, e.aggregate_type, e.aggregate_id,
              CAST(e.payload AS TEXT) AS payload, CAST(e.metadata AS TEXT) AS metadata,
              e.created_at, e.sequence_number,
              CASE WHEN json_valid(e.metadata) AND json_type(e.metadata, '$.correlation_id') = 'text'
                   THEN json_extract(e.metadata, '$.correlation_id') END AS correlation_id
       FROM ${join.byPosition} WHERE ${join.col} > ? ORDER BY ${join.col} LIMIT ?`,
    );
  }

  sync(afterPosition: number, limit: number): RawEventRow[] {
    const rows = this.stmt.all(afterPosition, Math.max(1, Math.floor(limit))) as RawEventRow[];
    for (const row of rows) row.json_ok = isCorruptRow(row) ? 0 : 1;
    return rows;
  }
}
