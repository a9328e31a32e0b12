import { hasLoneSurrogate } from '../schema/json-safety';

/**
 * What PostgreSQL's event_log cannot hold verbatim. SQLite's loose typing lets a foreign
 * writer or a hand edit store a text `created_at`, a fractional sequence, a blob id or a NUL
 * byte; PostgreSQL refuses each, and one refused row would fail its whole batch. Such a row is
 * recorded in the dead-letter table instead (with this reason), and forwarding goes on.
 */

/** The fields of a file row the check looks at (values as the SQLite driver returns them). */
export interface CheckedRow {
  position: unknown;
  event_id: unknown;
  event_type: unknown;
  aggregate_type: unknown;
  aggregate_id: unknown;
  payload: unknown;
  metadata: unknown;
  created_at: unknown;
  sequence_number: unknown;
  correlation_id?: unknown;
}

const TEXT_COLUMNS = ['event_id', 'event_type', 'aggregate_type', 'aggregate_id', 'payload'] as const;
const NULLABLE_TEXT = ['metadata', 'correlation_id'] as const;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `a ${value.length}-byte blob`;
  return String(value);
}

function textProblem(column: string, value: unknown): string | null {
  if (typeof value !== 'string') return `${column} is ${show(value)}, not text`;
  if (value.includes('\u0000')) return `${column} contains a NUL character, which PostgreSQL text cannot hold`;
  // A lone surrogate cannot be encoded as UTF-8: the driver would send U+FFFD, another value.
  if (hasLoneSurrogate(value)) return `${column} is not valid Unicode (a lone surrogate)`;
  return null;
}

/** null when the row can go into PostgreSQL's event_log as it is; otherwise why not. */
export function unshippableReason(row: CheckedRow): string | null {
  for (const column of TEXT_COLUMNS) {
    const problem = textProblem(column, row[column]);
    if (problem) return problem;
  }
  for (const column of NULLABLE_TEXT) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const problem = textProblem(column, value);
    if (problem) return problem;
  }
  if (typeof row.created_at !== 'number' || !Number.isSafeInteger(row.created_at)) {
    return `created_at is ${show(row.created_at)}, not Unix milliseconds (an integer)`;
  }
  const seq = row.sequence_number;
  if (seq !== null && (typeof seq !== 'number' || !Number.isSafeInteger(seq))) {
    return `sequence_number is ${show(seq)}, not an integer`;
  }
  return null;
}

/**
 * The row as JSON text PostgreSQL's TEXT can hold whatever the row contains: JSON escapes NUL
 * and lone surrogates, and a blob travels as base64.
 */
export function rowAsJson(row: CheckedRow): string {
  return JSON.stringify(row, function (this: Record<string, unknown>, key: string, value: unknown) {
    // `value` is already Buffer#toJSON's output; the holder still has the Buffer itself.
    const raw = this[key];
    if (raw instanceof Uint8Array) return { blob_base64: Buffer.from(raw).toString('base64') };
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}
