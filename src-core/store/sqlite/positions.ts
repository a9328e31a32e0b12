import type { PositionLink } from './schema/features';

/** The columns every event SELECT returns, `position` first: what the row mapper reads. */
const EVENT_COLUMNS = 'e.event_id, e.event_type, e.aggregate_type, e.aggregate_id, e.payload, e.metadata, e.created_at, e.sequence_number';

/**
 * THE one place that knows how an event_log row meets its global position. Every query
 * that returns positions builds on these fragments, whatever the file's layout:
 * - version 2: event_position(position INTEGER PRIMARY KEY, log_rowid) — integer joins only;
 * - version 1 (opened read-only, not yet migrated): event_position(position, event_id);
 * - a seed-written file opened read-only: no position table, so rowid is the best order.
 */
export interface PositionJoin {
  /** The position column expression (`p.position` or `e.rowid`). */
  readonly col: string;
  /** `position AS position, e.…` for the row mapper. */
  readonly select: string;
  /** Walk positions in order and probe the log: for scans of the global stream. */
  readonly byPosition: string;
  /** Search the log by its own indexes first, then probe the position: for selective filters. */
  readonly byLog: string;
  /** Highest position, 0 on an empty log. */
  readonly headSql: string;
  /** The join condition between `e` (event_log) and `p` (event_position); null without a position table. */
  readonly on: string | null;
}

export function positionJoin(link: PositionLink): PositionJoin {
  if (link === null) {
    return {
      col: 'e.rowid',
      select: `e.rowid AS position, ${EVENT_COLUMNS}`,
      byPosition: 'event_log e',
      byLog: 'event_log e',
      headSql: 'SELECT COALESCE(MAX(rowid), 0) FROM event_log',
      on: null,
    };
  }
  const on = link === 'log_rowid' ? 'e.rowid = p.log_rowid' : 'e.event_id = p.event_id';
  return {
    col: 'p.position',
    select: `p.position AS position, ${EVENT_COLUMNS}`,
    // CROSS JOIN fixes SQLite's loop order: the left table is walked, the right one probed.
    byPosition: `event_position p CROSS JOIN event_log e ON ${on}`,
    byLog: `event_log e CROSS JOIN event_position p ON ${on}`,
    headSql: 'SELECT COALESCE(MAX(position), 0) FROM event_position',
    on,
  };
}
