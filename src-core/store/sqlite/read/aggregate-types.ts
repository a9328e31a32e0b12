import type Database from 'better-sqlite3';

/**
 * The aggregate types that have events, sorted: one index seek per type (a skip-scan of the
 * seed's unique (aggregate_type, aggregate_id, sequence_number) index), where `stats` reads
 * every row. What planning an archive or `rebuild-all` needs before it pages aggregates.
 */
const SQL = `
  WITH RECURSIVE t(type) AS (
    SELECT MIN(aggregate_type) FROM event_log
    UNION ALL
    SELECT (SELECT MIN(aggregate_type) FROM event_log WHERE aggregate_type > t.type) FROM t WHERE t.type IS NOT NULL
  )
  SELECT type FROM t WHERE type IS NOT NULL`;

export function aggregateTypes(db: Database.Database): string[] {
  return db.prepare(SQL).pluck().all() as string[];
}
