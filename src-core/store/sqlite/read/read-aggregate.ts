import type Database from 'better-sqlite3';
import type { EventRecord } from '../../../events/types';
import { readMetadata, toRecord } from '../../row-mapper';
import type { AggregateProjection, AggregateRange, LeanEvent } from '../../types';
import type { PositionJoin } from '../positions';

/** position, event_id, event_type, payload, metadata, created_at, sequence_number. */
type AggregateRow = [number, string, string, string, string | null, number, number | null];

/**
 * event_id, event_type (0 when it is the type expected: the last one read before), payload,
 * created_at, then the sequence number: a number when SQL vouches for the row's metadata, else
 * text ('x' and the number); with a projection's metadata types, their metadata ('' for NULL)
 * or NULL. Every column costs (7-10 ms per 100k rows, measured): one carries the sequence and
 * the verdict, and the usual type comes as 0 instead of a new string per row (4 ms per 100k
 * ledger rows).
 */
type LeanRow = [string, string | 0, string, number, number | string, (string | null)?];

/** The row's sequence number, whatever SQL said of its metadata. */
const sequenceOf = (row: LeanRow): number => (typeof row[4] === 'number' ? row[4] : Number(row[4].slice(1)));

/**
 * True for metadata every read takes as it is: NULL, '' or a JSON object. The metadata half of
 * maybeCorruptSql; SQL can only shortlist, so a row it does not vouch for goes to the row
 * mapper. Valid JSON that starts with '{' is an object: no json_type() for the usual row, and
 * an object after whitespace goes the row mapper's way (rare, still right). OR stops at the
 * first true term: the usual row costs one json_valid (about a column read, measured).
 */
const METADATA_OK = `(e.metadata IS NULL OR (json_valid(e.metadata) AND unicode(e.metadata) = 123) OR e.metadata = '')`;

const WHERE = `e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?`;

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
  private readonly leanChunk: Database.Statement;
  private readonly leanChunkWithMetadata: Database.Statement;
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
    // No position join and no metadata text: a trigger gives every row its position in the
    // same statement that inserts it (and migration backfilled older rows), so the rows are the same.
    const lean = (metadata: string): string =>
      `SELECT e.event_id, CASE WHEN e.event_type = ? THEN 0 ELSE e.event_type END, e.payload, e.created_at,
              CASE WHEN ${METADATA_OK} THEN e.sequence_number ELSE 'x' || e.sequence_number END${metadata}
         FROM event_log e
         WHERE ${WHERE}
         ORDER BY e.sequence_number LIMIT ${CHUNK}`;
    this.leanChunk = db.prepare(lean('')).raw(true);
    // The types come as one JSON array: one statement whatever their number.
    this.leanChunkWithMetadata = db
      .prepare(lean(`, CASE WHEN e.event_type IN (SELECT value FROM json_each(?)) THEN COALESCE(e.metadata, '') END`))
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
          ) as LeanRow[];
          for (const row of rows) {
            const record = toLeanRecord(row, aggregateType, aggregateId, expected);
            if (record !== null) yield record;
            else {
              const whole = this.whole(aggregateType, aggregateId, row);
              if (whole !== null) yield whole;
            }
          }
          count = rows.length;
          last = count > 0 ? sequenceOf(rows[count - 1]!) : after;
          const lastType = count > 0 ? rows[count - 1]![1] : 0;
          if (lastType !== 0) expected = lastType;
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
  private whole(aggregateType: string, aggregateId: string, row: LeanRow): EventRecord | null {
    const seq = sequenceOf(row);
    const rows = this.stmt.all(aggregateType, aggregateId, seq, seq, Number.MAX_SAFE_INTEGER) as AggregateRow[];
    // A seed-written file may lack the unique (aggregate, sequence) index: pick the row by id.
    const match = rows.find((r) => r[1] === row[0]);
    return match ? toAggregateRecord(match, aggregateType, aggregateId) : null;
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
 * mapper must decide: a payload that is not a JSON object, metadata SQL did not vouch for.
 */
function toLeanRecord(row: LeanRow, aggregate_type: string, aggregate_id: string, expectedType: string): LeanEvent | null {
  const [event_id, type, payloadText, created_at, sequence_number, metadataText] = row;
  const event_type = type === 0 ? expectedType : type;
  if (typeof sequence_number !== 'number') return null;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return null;
  }
  if (!isPlainObject(payload)) return null;
  if (metadataText === undefined || metadataText === null)
    return { event_id, event_type, aggregate_type, aggregate_id, sequence_number, created_at, payload };
  let metadata: unknown;
  try {
    metadata = metadataText === '' ? undefined : JSON.parse(metadataText);
  } catch {
    return null;
  }
  if (metadata !== undefined && !isPlainObject(metadata)) return null;
  // No position: the projection promised a fold that does not read it.
  return {
    event_id,
    event_type,
    aggregate_type,
    aggregate_id,
    sequence_number,
    created_at,
    payload,
    metadata: readMetadata(metadata),
  } as LeanEvent;
}
