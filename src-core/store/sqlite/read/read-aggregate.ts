import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { readMetadata, toRecord } from '../../row-mapper';
import type { AggregateProjection, AggregateRange, LeanEvent } from '../../types';
import type { PositionJoin } from '../positions';

/** position, event_id, event_type, payload, metadata, created_at, sequence_number. */
type AggregateRow = [number, string, string, string, string | null, number, number | null];

/**
 * A lean row is ONE string, a JSON array SQLite builds: `[rowid, sequence, created_at,
 * "event_id", type, metadata, payload]`. `type` is 0 when it is the type expected (the last one
 * read before: no new string per row), `metadata` 0 unless the projection asked for its type's
 * (then the metadata JSON, or null). One string and one JSON.parse per row, instead of a row
 * array with a string per column and a JSON.parse of the payload: 7-10 ms per 100k rows
 * (measured). The payload comes last and the length is fixed, so a corrupt payload cannot pass
 * for another element: it fails the parse or the shape. A row whose metadata or time SQL does
 * not vouch for is `[rowid, sequence, x]` (not JSON either): both go to the row mapper by rowid.
 */
type LeanTuple = [number, number, number, string, string | 0, Record<string, unknown> | 0 | null, Record<string, unknown>];

/**
 * True for metadata every read takes as it is: NULL, '' or a JSON object. The metadata half of
 * maybeCorruptSql; SQL can only shortlist, so a row it does not vouch for goes to the row
 * mapper. Valid JSON that starts with '{' is an object: no json_type() for the usual row, and
 * an object after whitespace goes the row mapper's way (rare, still right). OR stops at the
 * first true term: the usual row costs one json_valid (about a column read, measured).
 */
const METADATA_OK = `(e.metadata IS NULL OR (json_valid(e.metadata) AND unicode(e.metadata) = 123) OR e.metadata = '')`;

const WHERE = `e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?`;

/** `[rowid, sequence, …`: a lean row's rowid and sequence, read without parsing the rest (numbers have no commas). */
function prefixOf(text: string): [number, number] {
  const first = text.indexOf(',');
  return [Number(text.slice(1, first)), Number(text.slice(first + 1, text.indexOf(',', first + 1)))];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

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
  /** A lean row read whole, for the row mapper. */
  private readonly byRowid: Database.Statement;
  /** The stream's read transaction, prepared: `exec` parses it anew each time (7 µs of a 4-event rebuild). */
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    join: PositionJoin,
  ) {
    const from = `SELECT ${join.col} AS position, e.event_id, e.event_type, e.payload, e.metadata, e.created_at, e.sequence_number
         FROM ${join.byLog}
         WHERE ${WHERE}
         ORDER BY e.sequence_number`;
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    this.stmt = db.prepare(from).raw(true);
    this.chunk = db.prepare(`${from} LIMIT ${CHUNK}`).raw(true);
    // No position join: a trigger gives every row its position in the same statement that
    // inserts it (and migration backfilled older rows), so the rows are the same.
    const lean = (metadata: string): string =>
      `SELECT CASE WHEN ${METADATA_OK} AND typeof(e.created_at) = 'integer'
                THEN concat('[', e.rowid, ',', e.sequence_number, ',', e.created_at, ',', json_quote(e.event_id), ',',
                            CASE WHEN e.event_type = ? THEN '0' ELSE json_quote(e.event_type) END, ',', ${metadata}, ',',
                            COALESCE(e.payload, 'x'), ']')
                ELSE concat('[', e.rowid, ',', e.sequence_number, ',x]') END
         FROM event_log e
         WHERE ${WHERE}
         ORDER BY e.sequence_number LIMIT ${CHUNK}`;
    this.leanChunk = db.prepare(lean('0')).pluck();
    // The types come as one JSON array: one statement whatever their number. Vouched metadata
    // is NULL, '' or a JSON object, so it goes in as it is (null for none).
    this.leanChunkWithMetadata = db
      .prepare(
        lean(`CASE WHEN e.event_type IN (SELECT value FROM json_each(?)) THEN COALESCE(NULLIF(e.metadata, ''), 'null') ELSE '0' END`),
      )
      .pluck();
    this.byRowid = db
      .prepare(
        `SELECT ${join.col} AS position, e.event_id, e.event_type, e.payload, e.metadata, e.created_at, e.sequence_number
         FROM ${join.byLog} WHERE e.rowid = ?`,
      )
      .raw(true);
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
          const rows = (
            metadataTypes.length > 0
              ? this.leanChunkWithMetadata.all(expected, types, type, id, after, to, until)
              : this.leanChunk.all(expected, type, id, after, to, until)
          ) as string[];
          // 0 in this chunk's rows stands for the type asked for with it; the next chunk expects the last row's.
          const asked = expected;
          for (const text of rows) {
            const record = toLeanRecord(text, aggregateType, aggregateId, asked) ?? this.whole(aggregateType, aggregateId, text);
            if (record === null) continue;
            if (typeof record.event_type === 'string') expected = record.event_type;
            yield record;
          }
          count = rows.length;
          last = count > 0 ? prefixOf(rows[count - 1]!)[1] : after;
        }
        if (count < CHUNK) return;
        after = last + 1;
      }
    } finally {
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
  // undefined: no metadata stored (NULL or ''); the text 'null' parses to null, which is corrupt.
  let metadata: unknown;
  try {
    payload = JSON.parse(payloadText);
    if (metadataText !== null && metadataText !== '') metadata = JSON.parse(metadataText);
  } catch {
    payload = undefined;
  }
  if (!isPlainObject(payload) || (metadata !== undefined && !isPlainObject(metadata))) {
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

/**
 * A lean row as a LeanEvent (with metadata when the row carries it), or null when the row
 * mapper must decide: a row SQL did not vouch for, a payload that is not a JSON object.
 */
function toLeanRecord(text: string, aggregate_type: string, aggregate_id: string, expectedType: string): LeanEvent | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(tuple) || tuple.length !== 7) return null;
  // Indexed, not destructured: array destructuring walks an iterator (measurably, per row).
  const row = tuple as LeanTuple;
  const payload = row[6];
  const event_id = row[3];
  if (!isPlainObject(payload) || typeof event_id !== 'string') return null;
  const type = row[4];
  const metadata = row[5];
  const event_type = type === 0 ? expectedType : type;
  if (metadata === 0) {
    return { event_id, event_type, aggregate_type, aggregate_id, sequence_number: row[1], created_at: row[2], payload };
  }
  const sequence_number = row[1];
  const created_at = row[2];
  // No position: the projection promised a fold that does not read it.
  return {
    event_id,
    event_type,
    aggregate_type,
    aggregate_id,
    sequence_number,
    created_at,
    payload,
    metadata: readMetadata(metadata ?? undefined),
  } as LeanEvent;
}
