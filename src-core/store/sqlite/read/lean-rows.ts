import { isJsonObject, readMetadata } from '../../row-mapper';
import type { LeanEvent } from '../../types';

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

/** Rows per keyset page of a stream: large enough to amortise the query, small enough to stay bounded. */
export const CHUNK = 1024;

/**
 * True for metadata every read takes as it is: NULL, '' or a JSON object. The metadata half of
 * maybeCorruptSql; SQL can only shortlist, so a row it does not vouch for goes to the row
 * mapper. Valid JSON that starts with '{' is an object: no json_type() for the usual row, and
 * an object after whitespace goes the row mapper's way (rare, still right). OR stops at the
 * first true term: the usual row costs one json_valid (about a column read, measured).
 */
const METADATA_OK = `(e.metadata IS NULL OR (json_valid(e.metadata) AND unicode(e.metadata) = 123) OR e.metadata = '')`;

/** Parameters: aggregate type, id, first and last sequence, latest time. */
export const AGGREGATE_WHERE = `e.aggregate_type = ? AND e.aggregate_id = ? AND e.sequence_number >= ? AND e.sequence_number <= ? AND e.created_at <= ?`;

/**
 * One keyset page of lean rows. Parameters: the expected type, then (with `withMetadata`) the
 * JSON array of types whose metadata to carry, then AGGREGATE_WHERE's. No position join: a
 * trigger gives every row its position in the same statement that inserts it (and migration
 * backfilled older rows), so the rows are the same.
 */
export function leanChunkSql(withMetadata: boolean): string {
  // Vouched metadata is NULL, '' or a JSON object, so it goes in as it is (null for none).
  const metadata = withMetadata
    ? `CASE WHEN e.event_type IN (SELECT value FROM json_each(?)) THEN COALESCE(NULLIF(e.metadata, ''), 'null') ELSE '0' END`
    : '0';
  return `SELECT CASE WHEN ${METADATA_OK} AND typeof(e.created_at) = 'integer'
                THEN concat('[', e.rowid, ',', e.sequence_number, ',', e.created_at, ',', json_quote(e.event_id), ',',
                            CASE WHEN e.event_type = ? THEN '0' ELSE json_quote(e.event_type) END, ',', ${metadata}, ',',
                            COALESCE(e.payload, 'x'), ']')
                ELSE concat('[', e.rowid, ',', e.sequence_number, ',x]') END
         FROM event_log e
         WHERE ${AGGREGATE_WHERE}
         ORDER BY e.sequence_number LIMIT ${CHUNK}`;
}

/** What one lean page is asked for: the aggregate, where the page starts, its bounds and the types whose metadata it carries. */
export interface LeanPageQuery {
  type: string;
  id: string;
  after: number;
  to: number;
  until: number;
  /** JSON array of event types whose metadata the rows carry; null for none (the plain statement). */
  metadataTypes: string | null;
}

/** leanChunkSql's parameters for a page whose rows say 0 for `expected`. */
export function leanParams(query: LeanPageQuery, expected: string): unknown[] {
  const { type, id, after, to, until, metadataTypes } = query;
  return metadataTypes === null ? [expected, type, id, after, to, until] : [expected, metadataTypes, type, id, after, to, until];
}

/** `[rowid, sequence, …`: a lean row's rowid and sequence, read without parsing the rest (numbers have no commas). */
export function prefixOf(text: string): [number, number] {
  const first = text.indexOf(',');
  return [Number(text.slice(1, first)), Number(text.slice(first + 1, text.indexOf(',', first + 1)))];
}

/** A lean row parsed, when it is a tuple of the fixed shape; null when the row mapper must decide. */
function parseTuple(text: string): LeanTuple | null {
  let tuple: unknown;
  try {
    tuple = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(tuple) && tuple.length === 7 ? (tuple as LeanTuple) : null;
}

/** The type a lean row names (null when it says 0, or is not a clean tuple): what the page after it expects. */
export function namedType(text: string): string | null {
  const type = parseTuple(text)?.[4];
  return typeof type === 'string' ? type : null;
}

/**
 * A lean row as a LeanEvent (with metadata when the row carries it), or null when the row
 * mapper must decide: a row SQL did not vouch for, a payload that is not a JSON object.
 * `expectedType` is what 0 stands for in the row's page.
 */
export function toLeanRecord(text: string, aggregate_type: string, aggregate_id: string, expectedType: string): LeanEvent | null {
  const row = parseTuple(text);
  if (row === null) return null;
  // Indexed, not destructured: array destructuring walks an iterator (measurably, per row).
  const payload = row[6];
  const event_id = row[3];
  if (!isJsonObject(payload) || typeof event_id !== 'string') return null;
  const type = row[4];
  const metadata = row[5];
  const event_type = type === 0 ? expectedType : type;
  if (metadata === 0) {
    return { event_id, event_type, aggregate_type, aggregate_id, sequence_number: row[1], created_at: row[2], payload };
  }
  // No position: the projection promised a fold that does not read it.
  return {
    event_id,
    event_type,
    aggregate_type,
    aggregate_id,
    sequence_number: row[1],
    created_at: row[2],
    payload,
    metadata: readMetadata(metadata ?? undefined),
  } as LeanEvent;
}
