import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { readMetadata, toRecord } from '../../row-mapper';
import type { AggregateRange } from '../../types';
import type { PositionJoin } from '../positions';

/** position, event_id, event_type, payload, metadata, created_at, sequence_number. */
type AggregateRow = [number, string, string, string, string | null, number, number | null];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An aggregate's events in sequence order, bounded by sequence and time. The rebuilder's
 * read, so it is lean: rows as arrays (no per-row object with named keys), the aggregate's
 * type and id taken from the question instead of copied out of every row; any row that is
 * not clean JSON goes through the row mapper, which flags it exactly as every other read does.
 */
export class ReadAggregate {
  private readonly stmt: Database.Statement;
  private readonly chunk: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    join: PositionJoin,
  ) {
    const from = `SELECT ${join.col} AS position, e.event_id, e.event_type, e.payload, e.metadata, e.created_at, e.sequence_number
         FROM ${join.byLog}
         WHERE e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?
         ORDER BY e.sequence_number`;
    this.stmt = db.prepare(from).raw(true);
    this.chunk = db.prepare(`${from} LIMIT ${CHUNK}`).raw(true);
  }

  sync(aggregateType: string, aggregateId: string, range: AggregateRange = {}): EventRecord[] {
    const rows = this.stmt.all(...bounds(aggregateType, aggregateId, range)) as AggregateRow[];
    const records = new Array<EventRecord>(rows.length);
    for (let i = 0; i < rows.length; i++) records[i] = toAggregateRecord(rows[i]!, aggregateType, aggregateId);
    return records;
  }

  /**
   * The same rows, a chunk at a time: a fold over a long aggregate never holds its history.
   * Chunks are keyset pages on the (unique) sequence number, read with `all()` (several
   * times cheaper per row than a statement iterator), inside one read transaction so the
   * stream is one snapshot of the log, as a single SELECT would be.
   */
  *stream(aggregateType: string, aggregateId: string, range: AggregateRange = {}): Generator<EventRecord> {
    const [type, id, from, to, until] = bounds(aggregateType, aggregateId, range);
    const own = !this.db.inTransaction;
    if (own) this.db.exec('BEGIN');
    try {
      let after = from;
      for (;;) {
        const rows = this.chunk.all(type, id, after, to, until) as AggregateRow[];
        for (const row of rows) yield toAggregateRecord(row, aggregateType, aggregateId);
        if (rows.length < CHUNK) return;
        after = rows[rows.length - 1]![6]! + 1;
      }
    } finally {
      if (own && this.db.inTransaction) this.db.exec('COMMIT');
    }
  }
}

/** Rows per keyset page of a stream: large enough to amortise the query, small enough to stay bounded. */
const CHUNK = 1024;

function bounds(aggregateType: string, aggregateId: string, range: AggregateRange): [string, string, number, number, number] {
  return [
    aggregateType,
    aggregateId,
    range.fromSequence ?? Number.MIN_SAFE_INTEGER,
    range.toSequence ?? Number.MAX_SAFE_INTEGER,
    range.untilTime ?? Number.MAX_SAFE_INTEGER,
  ];
}

function toAggregateRecord(row: AggregateRow, aggregateType: string, aggregateId: string): EventRecord {
  const [position, event_id, event_type, payloadText, metadataText, created_at, sequence_number] = row;
  let payload: unknown;
  let metadata: unknown = null;
  try {
    payload = JSON.parse(payloadText);
    if (metadataText !== null && metadataText !== '') metadata = JSON.parse(metadataText);
  } catch {
    payload = undefined;
  }
  if (!isPlainObject(payload) || (metadata !== null && !isPlainObject(metadata))) {
    return toRecord({
      position,
      event_id,
      event_type,
      aggregate_type: aggregateType,
      aggregate_id: aggregateId,
      payload: payloadText,
      metadata: metadataText,
      created_at,
      sequence_number,
    });
  }
  return {
    position,
    event_id,
    event_type,
    aggregate_type: aggregateType,
    aggregate_id: aggregateId,
    sequence_number: sequence_number ?? 0,
    created_at,
    payload,
    metadata: readMetadata(metadata),
  };
}
