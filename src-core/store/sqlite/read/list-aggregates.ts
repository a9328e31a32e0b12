import type Database from 'better-sqlite3';
import type { AggregateSummary } from '../../types';

export interface ListAggregatesOptions {
  aggregateType?: string;
  limit?: number;
  afterId?: string;
}

/** A keyset page of aggregates with their version, counts, time span and last event type. */
export function listAggregates(db: Database.Database, options: ListAggregatesOptions = {}): AggregateSummary[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (options.aggregateType !== undefined) {
    where.push('aggregate_type = ?');
    params.push(options.aggregateType);
  }
  if (options.afterId !== undefined) {
    where.push('aggregate_id > ?');
    params.push(options.afterId);
  }
  params.push(Math.max(1, Math.min(100_000, options.limit ?? 1000)));
  const sql = `
    SELECT g.aggregate_type, g.aggregate_id, g.version, g.events, g.first_at, g.last_at,
           (SELECT l.event_type FROM event_log l
             WHERE l.aggregate_type = g.aggregate_type AND l.aggregate_id = g.aggregate_id
             ORDER BY l.sequence_number DESC LIMIT 1) AS last_event_type
    FROM (SELECT aggregate_type, aggregate_id, COALESCE(MAX(sequence_number), 0) AS version, COUNT(*) AS events,
                 MIN(created_at) AS first_at, MAX(created_at) AS last_at
          FROM event_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          GROUP BY aggregate_type, aggregate_id
          ORDER BY aggregate_type, aggregate_id LIMIT ?) g`;
  return db.prepare(sql).all(...params) as AggregateSummary[];
}
