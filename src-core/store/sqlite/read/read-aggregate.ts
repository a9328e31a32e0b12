import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { isJsonObject, readMetadata, toRecord } from '../../row-mapper';
import type { AggregateProjection, AggregateRange, LeanEvent } from '../../types';
import type { PositionJoin } from '../positions';
import { AGGREGATE_WHERE, CHUNK, leanChunkSql, leanParams, prefixOf, toLeanRecord, type LeanPageQuery } from './lean-rows';
import type { AheadPage, ReadAhead } from './read-ahead/read-ahead';

/** position, event_id, event_type, payload, metadata, created_at, sequence_number. */
type AggregateRow = [number, string, string, string, string | null, number, number | null];

/** Pages a stream reads in its own thread before it hands the rest to the reader thread (short folds never start one). */
const READ_AHEAD_AFTER = 4;

/**
 * An aggregate's events in sequence order, bounded by sequence and time. The rebuilder's
 * read, so it is lean: rows as arrays or one string (no per-row object with named keys), the
 * aggregate's type and id taken from the question instead of copied out of every row; any row that is
 * not clean JSON goes through the row mapper, which flags it exactly as every other read does.
 */
export class ReadAggregate {
  private readonly stmt: Database.Statement;
  private readonly chunk: Database.Statement;
  private readonly leanChunk: Database.Statement;
  private readonly leanChunkWithMetadata: Database.Statement;
  /** The first sequence number at or after a point, within the bounds: where a stream goes on. */
  private readonly nextSequence: Database.Statement;
  /** A lean row read whole, for the row mapper. */
  private readonly byRowid: Database.Statement;
  /** The stream's read transaction, prepared: `exec` parses it anew each time (7 µs of a 4-event rebuild). */
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    join: PositionJoin,
    /** The reader thread for long lean streams (started on first call); null where there is none (in memory). */
    private readonly readAhead: () => ReadAhead | null = () => null,
  ) {
    const rows = `SELECT ${join.col} AS position, e.event_id, e.event_type, e.payload, e.metadata, e.created_at, e.sequence_number
         FROM ${join.byLog}`;
    const from = `${rows} WHERE ${AGGREGATE_WHERE} ORDER BY e.sequence_number`;
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.stmt = db.prepare(from).raw(true);
    this.chunk = db.prepare(`${from} LIMIT ${CHUNK}`).raw(true);
    this.nextSequence = db
      .prepare(`SELECT e.sequence_number FROM event_log e WHERE ${AGGREGATE_WHERE} ORDER BY e.sequence_number LIMIT 1`)
      .pluck();
    this.leanChunk = db.prepare(leanChunkSql(false)).pluck();
    // The types come as one JSON array: one statement whatever their number.
    this.leanChunkWithMetadata = db.prepare(leanChunkSql(true)).pluck();
    this.byRowid = db.prepare(`${rows} WHERE e.rowid = ?`).raw(true);
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
   * stream is one snapshot of the log, as a single SELECT would be. With a lean projection,
   * events come without metadata (but for its metadata types) and without position.
   */
  *stream(
    aggregateType: string,
    aggregateId: string,
    range: AggregateRange = {},
    projection?: AggregateProjection,
  ): Generator<EventRecord | LeanEvent> {
    const [type, id, from, to, until] = bounds(aggregateType, aggregateId, range);
    const lean = projection?.lean === true;
    const metadataTypes = lean && projection.metadataTypes !== undefined ? projection.metadataTypes : [];
    const types = JSON.stringify(metadataTypes);
    // The type to expect: the last one read (an aggregate's history is mostly one type).
    let expected = '';
    let pagesRead = 0;
    /** The reader thread's stream, and the sequence its first page must start with (null once seen). */
    let ahead: { reader: ReadAhead; id: number; first: number | null } | null = null;
    const own = !this.db.inTransaction;
    if (own) this.begin.run();
    try {
      let after = from;
      // One loop and one generator for both shapes: a nested generator costs a resume per row.
      for (;;) {
        let last: number;
        let count: number;
        if (!lean) {
          const rows = this.chunk.all(type, id, after, to, until) as AggregateRow[];
          for (const row of rows) yield toAggregateRecord(row, aggregateType, aggregateId);
          count = rows.length;
          last = count > 0 ? rows[count - 1]![6]! : after;
        } else {
          let page: AheadPage | null = null;
          if (ahead !== null) {
            page = ahead.reader.next(ahead.id);
            // The thread reads a later snapshot than this one: an archive move committed in
            // between may have taken rows this snapshot still has. A move takes an aggregate's
            // prefix (or all of it), and nothing else deletes: the thread's history is this
            // one's (plus later appends) exactly when its first row is where this snapshot goes
            // on. Otherwise the stream stays here.
            if (page !== null && ahead.first !== null) {
              if (page.rows.length === 0 || prefixOf(page.rows[0]!)[1] !== ahead.first) page = null;
              else ahead.first = null;
            }
            if (page === null) {
              // The thread failed, stalled or read another history: this stream reads on here,
              // from the last page taken, to its end.
              ahead.reader.stop(ahead.id);
              ahead = null;
              pagesRead = Number.NEGATIVE_INFINITY;
            }
          }
          const query: LeanPageQuery = { type, id, after, to, until, metadataTypes: metadataTypes.length > 0 ? types : null };
          page ??= {
            rows: (query.metadataTypes === null ? this.leanChunk : this.leanChunkWithMetadata).all(
              ...leanParams(query, expected),
            ) as string[],
            asked: expected,
          };
          // 0 in a page's rows stands for the type asked for with it; the next page expects the last row's.
          const { rows, asked } = page;
          for (const text of rows) {
            const record = toLeanRecord(text, aggregateType, aggregateId, asked) ?? this.whole(aggregateType, aggregateId, text);
            if (record === null) continue;
            if (typeof record.event_type === 'string') expected = record.event_type;
            yield record;
          }
          count = rows.length;
          last = count > 0 ? prefixOf(rows[count - 1]!)[1] : after;
          // A long fold: the reader thread reads the pages after this one while this thread folds.
          // Not inside a caller's transaction (its snapshot is the caller's to keep).
          if (ahead === null && own && count === CHUNK && ++pagesRead >= READ_AHEAD_AFTER) {
            const reader = this.readAhead();
            const first = reader?.available ? (this.nextSequence.get(type, id, last + 1, to, until) as number | undefined) : undefined;
            if (reader && first !== undefined) ahead = { reader, id: reader.open({ ...query, after: last + 1 }, expected), first };
          }
        }
        if (count < CHUNK) return;
        after = last + 1;
      }
    } finally {
      if (ahead !== null) ahead.reader.stop(ahead.id);
      if (own && this.db.inTransaction) this.commit.run();
    }
  }

  /**
   * A row the lean read could not vouch for, read whole and mapped by the row mapper's rules
   * (corrupt, or clean after all). None when the row has no position: the whole read skips it too.
   */
  private whole(aggregateType: string, aggregateId: string, text: string): EventRecord | null {
    const row = this.byRowid.get(prefixOf(text)[0]) as AggregateRow | undefined;
    return row ? toAggregateRecord(row, aggregateType, aggregateId) : null;
  }
}

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
  // undefined: no metadata stored (NULL or ''); the text 'null' parses to null, which is corrupt.
  let metadata: unknown;
  try {
    payload = JSON.parse(payloadText);
    if (metadataText !== null && metadataText !== '') metadata = JSON.parse(metadataText);
  } catch {
    payload = undefined;
  }
  if (!isJsonObject(payload) || (metadata !== undefined && !isJsonObject(metadata))) {
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
