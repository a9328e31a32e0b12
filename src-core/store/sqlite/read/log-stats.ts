import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { isCorruptRow, maybeCorruptSql, type EventRow } from '../../row-mapper';
import type { LogStats } from '../../types';

function fileSize(file: string): number | null {
  if (file === ':memory:') return null;
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

/**
 * Counts in one pass over event_log (grouped by event type and aggregate type, with the time
 * span and SQLite's JSON shortlist of suspect rows), plus one pass over the narrow aggregate
 * index for the number of aggregates. Suspects are confirmed by the row mapper only when
 * there are any (json_valid and JSON.parse differ at the edges).
 */
export function logStats(db: Database.Database, file: string, headPosition: number): LogStats {
  const groups = db
    .prepare(
      `SELECT event_type, aggregate_type, COUNT(*) AS n, MIN(created_at) AS first_at, MAX(created_at) AS last_at,
              SUM(${maybeCorruptSql()}) AS suspects
       FROM event_log GROUP BY event_type, aggregate_type`,
    )
    .all() as { event_type: string; aggregate_type: string; n: number; first_at: number; last_at: number; suspects: number }[];
  const byType: Record<string, number> = {};
  const byAggregateType: Record<string, number> = {};
  let total = 0;
  let suspects = 0;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  for (const g of groups) {
    total += g.n;
    suspects += g.suspects;
    byType[g.event_type] = (byType[g.event_type] ?? 0) + g.n;
    byAggregateType[g.aggregate_type] = (byAggregateType[g.aggregate_type] ?? 0) + g.n;
    if (firstAt === null || g.first_at < firstAt) firstAt = g.first_at;
    if (lastAt === null || g.last_at > lastAt) lastAt = g.last_at;
  }
  let corrupt = 0;
  if (suspects > 0) {
    for (const row of db
      .prepare(`SELECT CAST(payload AS TEXT) AS payload, CAST(metadata AS TEXT) AS metadata FROM event_log WHERE ${maybeCorruptSql()}`)
      .iterate() as IterableIterator<Pick<EventRow, 'payload' | 'metadata'>>) {
      if (isCorruptRow(row)) corrupt++;
    }
  }
  const aggregates = db
    .prepare('SELECT COUNT(*) FROM (SELECT 1 FROM event_log GROUP BY aggregate_type, aggregate_id)')
    .pluck()
    .get() as number;
  return {
    total,
    corrupt,
    byType: sortKeys(byType),
    byAggregateType: sortKeys(byAggregateType),
    aggregates,
    firstAt,
    lastAt,
    fileBytes: fileSize(file),
    headPosition,
  };
}

/** Keys in SQLite's binary order, as the GROUP BY queries returned them before. */
function sortKeys(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
