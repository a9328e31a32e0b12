import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';

export interface LogReport {
  total: number;
  eventIds: Set<string>;
  /** Aggregates whose sequence is not exactly 1..n. */
  gapped: { aggregate: string; count: number; min: number | null; max: number | null; distinct: number }[];
  /** Batches (payload.batch / payload.batch_size) present with fewer or more rows than they had. */
  tornBatches: { batch: string; rows: number; size: number }[];
  /** event_position must hold one distinct position per row. */
  positions: number;
  integrity: string;
}

/**
 * Everything a crash or a race could break, read through one store handle: per-aggregate
 * sequences 1..n, one position per row, batches all-or-nothing, SQLite's own integrity check.
 */
export function inspectLog(store: SqliteEventStore): LogReport {
  const db = store.connection;
  const eventIds = new Set(db.prepare('SELECT event_id FROM event_log').pluck().all() as string[]);
  const gapped = db
    .prepare(
      `SELECT aggregate_type || ':' || aggregate_id AS aggregate, COUNT(*) AS count, MIN(sequence_number) AS min,
              MAX(sequence_number) AS max, COUNT(DISTINCT sequence_number) AS distinct_
       FROM event_log GROUP BY aggregate_type, aggregate_id
       HAVING min IS NOT 1 OR max IS NOT count OR distinct_ IS NOT count`,
    )
    .all()
    .map((r) => {
      const row = r as { aggregate: string; count: number; min: number | null; max: number | null; distinct_: number };
      return { aggregate: row.aggregate, count: row.count, min: row.min, max: row.max, distinct: row.distinct_ };
    });
  const tornBatches = db
    .prepare(
      `SELECT json_extract(payload, '$.batch') AS batch, COUNT(*) AS rows, MAX(json_extract(payload, '$.batch_size')) AS size
       FROM event_log WHERE json_valid(payload) AND json_extract(payload, '$.batch') IS NOT NULL
       GROUP BY batch HAVING rows != size`,
    )
    .all() as LogReport['tornBatches'];
  const positions = store.schemaFeatures.hasPositionTable
    ? (db
        .prepare(
          `SELECT COUNT(DISTINCT p.position) FROM event_position p JOIN event_log e ON ${store.schemaFeatures.positionLink === 'log_rowid' ? 'e.rowid = p.log_rowid' : 'e.event_id = p.event_id'}`,
        )
        .pluck()
        .get() as number)
    : eventIds.size;
  const integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ');
  return { total: eventIds.size, eventIds, gapped, tornBatches, positions, integrity };
}

/** Opens read-only, inspects, closes. */
export function inspectFile(file: string): LogReport {
  const store = SqliteEventStore.open({ file, readOnly: true });
  try {
    return inspectLog(store);
  } finally {
    store.close();
  }
}

export function missingFrom(report: LogReport, ids: Iterable<string>): string[] {
  const missing: string[] = [];
  for (const id of ids) if (!report.eventIds.has(id)) missing.push(id);
  return missing;
}
