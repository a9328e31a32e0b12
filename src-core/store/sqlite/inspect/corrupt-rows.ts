import type Database from 'better-sqlite3';
import { isCorruptEvent } from '../../../events/types';
import { maybeCorruptSql, toRecord, type EventRow } from '../../row-mapper';
import type { CorruptRowPage } from '../../types';
import type { PositionJoin } from '../positions';

/**
 * A page of corrupt rows: SQLite asks json_valid/json_type per row (in C), then the row
 * mapper confirms and shapes each hit, so the flags match what every other read shows.
 */
export class CorruptRows {
  private readonly stmt: Database.Statement;

  constructor(db: Database.Database, join: PositionJoin) {
    this.stmt = db.prepare(
      `SELECT ${join.select} FROM ${join.byPosition}
       WHERE ${join.col} > ? AND (${maybeCorruptSql('e.')}) ORDER BY ${join.col} LIMIT ?`,
    );
  }

  sync(page: { after?: number; limit: number }): CorruptRowPage {
    const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
    const rows = this.stmt.all(page.after ?? 0, limit + 1) as EventRow[];
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    return { records: kept.map(toRecord).filter(isCorruptEvent), next: more ? kept[kept.length - 1]!.position : null };
  }
}
