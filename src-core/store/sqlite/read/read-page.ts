import type Database from 'better-sqlite3';
import { toRecord, type EventRow } from '../../row-mapper';
import type { EventFilter, EventPage, PageRequest } from '../../types';
import type { PositionJoin } from '../positions';
import { correlationExpr } from '../schema/ddl';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A keyset page of the global stream (by type, aggregate, time range, correlation, text). Never OFFSET. */
export function readPage(db: Database.Database, join: PositionJoin, filter: EventFilter, page: PageRequest): EventPage {
  const backward = page.direction === 'backward';
  const where: string[] = [];
  const params: unknown[] = [];
  if (page.after !== undefined) {
    where.push(`${join.col} ${backward ? '<' : '>'} ?`);
    params.push(page.after);
  }
  if (filter.types && filter.types.length > 0) {
    where.push(`e.event_type IN (${filter.types.map(() => '?').join(', ')})`);
    params.push(...filter.types);
  }
  if (filter.aggregateType !== undefined) {
    where.push('e.aggregate_type = ?');
    params.push(filter.aggregateType);
  }
  if (filter.aggregateId !== undefined) {
    where.push('e.aggregate_id = ?');
    params.push(filter.aggregateId);
  }
  if (filter.correlationId !== undefined) {
    where.push(`${correlationExpr('e.metadata')} = ?`);
    params.push(filter.correlationId);
  }
  if (filter.since !== undefined) {
    where.push('e.created_at >= ?');
    params.push(filter.since);
  }
  if (filter.until !== undefined) {
    where.push('e.created_at <= ?');
    params.push(filter.until);
  }
  if (filter.text) {
    where.push("e.payload LIKE ? ESCAPE '\\'");
    params.push(`%${escapeLike(filter.text)}%`);
  }
  if (filter.source !== undefined) {
    where.push("(CASE WHEN json_valid(e.metadata) THEN json_extract(e.metadata, '$.source') END) = ?");
    params.push(filter.source);
  }
  const limit = Math.max(1, Math.min(10_000, Math.floor(page.limit)));
  params.push(limit + 1);
  // Selective filters (an aggregate, a correlation, a time window) drive the search from
  // their index and sort what they find; without one, walk positions in order.
  const selective =
    filter.aggregateId !== undefined || filter.correlationId !== undefined || (filter.since !== undefined && filter.until !== undefined);
  const sql = `SELECT ${join.select} FROM ${selective ? join.byLog : join.byPosition} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
               ORDER BY ${join.col} ${backward ? 'DESC' : 'ASC'} LIMIT ?`;
  const rows = db.prepare(sql).all(...params) as EventRow[];
  const more = rows.length > limit;
  const records = (more ? rows.slice(0, limit) : rows).map(toRecord);
  return { records, next: more ? records[records.length - 1]!.position : null };
}
