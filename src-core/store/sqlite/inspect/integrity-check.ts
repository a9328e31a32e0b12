import type Database from 'better-sqlite3';
import type { IntegrityReport } from '../../types';
import type { PositionJoin } from '../positions';

/**
 * SQLite's quick_check (every page and index entry readable and consistent, O(file)), plus
 * the position table's link: every row has exactly one position and every position a row.
 */
export function integrityCheck(db: Database.Database, join: PositionJoin): IntegrityReport {
  const rows = db.pragma('quick_check') as Record<string, unknown>[];
  const lines = rows.map((row) => String(Object.values(row)[0]));
  const sound = lines.length === 1 && lines[0] === 'ok';
  const on = join.on;
  if (sound && on !== null) {
    const unpositioned = db
      .prepare(`SELECT COUNT(*) FROM event_log e WHERE NOT EXISTS (SELECT 1 FROM event_position p WHERE ${on})`)
      .pluck()
      .get() as number;
    const dangling = db
      .prepare(`SELECT COUNT(*) FROM event_position p WHERE NOT EXISTS (SELECT 1 FROM event_log e WHERE ${on})`)
      .pluck()
      .get() as number;
    const problems = [
      unpositioned > 0 ? `${unpositioned} event_log row(s) without a global position` : '',
      dangling > 0 ? `${dangling} event_position row(s) that name no event_log row` : '',
    ].filter(Boolean);
    if (problems.length > 0) return { check: 'SQLite quick_check', ok: false, lines: problems };
  }
  return { check: 'SQLite quick_check', ok: sound, lines };
}
