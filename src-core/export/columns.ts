import { z } from 'zod';
import type { StoredEvent } from '../events/types';

/** What a column holds in the exported table. */
export type ColumnKind = 'double' | 'int64' | 'boolean' | 'string' | 'timestamp' | 'json';

export interface Column {
  /** The column's name in the table (a payload key, or `payload_<key>` when it clashes with the envelope). */
  name: string;
  kind: ColumnKind;
  /** Where the value comes from. */
  from: { envelope: (event: StoredEvent) => unknown } | { payloadKey: string };
}

/** A row as the writers take it: one value per column, already converted (null: empty). */
export type Cell = number | bigint | boolean | string | null;

/** Keys whose names say "a point in time": exported as timestamps when their values parse. */
const TIME_NAME = /(^|_)(at|time|timestamp|until|since|date)$/i;

export function isTimeName(key: string): boolean {
  return TIME_NAME.test(key);
}

/** The envelope columns, first in every table, in this order. */
export const ENVELOPE_COLUMNS: readonly Column[] = [
  { name: 'position', kind: 'int64', from: { envelope: (e) => e.position } },
  { name: 'event_id', kind: 'string', from: { envelope: (e) => e.event_id } },
  { name: 'event_type', kind: 'string', from: { envelope: (e) => e.event_type } },
  { name: 'aggregate_type', kind: 'string', from: { envelope: (e) => e.aggregate_type } },
  { name: 'aggregate_id', kind: 'string', from: { envelope: (e) => e.aggregate_id } },
  { name: 'sequence_number', kind: 'int64', from: { envelope: (e) => e.sequence_number } },
  { name: 'created_at', kind: 'timestamp', from: { envelope: (e) => e.created_at } },
  { name: 'source', kind: 'string', from: { envelope: (e) => e.metadata.source } },
  { name: 'correlation_id', kind: 'string', from: { envelope: (e) => e.metadata.correlation_id } },
  { name: 'causation_id', kind: 'string', from: { envelope: (e) => e.metadata.causation_id } },
  { name: 'user_id', kind: 'string', from: { envelope: (e) => e.metadata.user_id } },
  { name: 'schema_version', kind: 'string', from: { envelope: (e) => e.metadata.version } },
];

/** Payload keys that are not columns, and values that did not fit their column, as JSON text. */
export const EXTRA_COLUMN = 'payload_extra';

const ENVELOPE_NAMES = new Set([...ENVELOPE_COLUMNS.map((c) => c.name), EXTRA_COLUMN]);

function columnName(key: string): string {
  return ENVELOPE_NAMES.has(key) ? `payload_${key}` : key;
}

type JsonSchema = {
  type?: string | string[];
  format?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
};

/** The JSON types a property schema allows (null left out). */
function jsonTypes(schema: JsonSchema): { types: Set<string>; dateTime: boolean } {
  const types = new Set<string>();
  let dateTime = false;
  const walk = (s: JsonSchema): void => {
    if (s.format === 'date-time') dateTime = true;
    if (typeof s.type === 'string') types.add(s.type);
    else if (Array.isArray(s.type)) s.type.forEach((t) => types.add(t));
    else if (s.enum) s.enum.forEach((v) => types.add(v === null ? 'null' : typeof v));
    else if (s.const !== undefined) types.add(s.const === null ? 'null' : typeof s.const);
    for (const sub of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) walk(sub);
    if (!s.type && !s.enum && s.const === undefined && !s.anyOf && !s.oneOf) types.add('any');
  };
  walk(schema);
  types.delete('null');
  return { types, dateTime };
}

function kindFromJsonSchema(key: string, schema: JsonSchema): ColumnKind {
  const { types, dateTime } = jsonTypes(schema);
  const only = types.size === 1 ? [...types][0] : null;
  // The seed writes times as ISO strings and brokers as numbers: a time-named key that may be
  // either is a time.
  if (dateTime || (isTimeName(key) && [...types].every((t) => t === 'string' || t === 'number' || t === 'integer') && types.size > 0)) {
    return 'timestamp';
  }
  if (only === 'integer') return 'int64';
  if (only === 'number' || (types.size === 2 && types.has('number') && types.has('integer'))) return 'double';
  if (only === 'boolean') return 'boolean';
  if (only === 'string') return 'string';
  return 'json';
}

/** Columns from a registered zod payload schema: its declared keys, typed as declared. */
export function columnsFromSchema(payload: unknown): Column[] | null {
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(payload as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return null;
  }
  if (!json.properties) return null;
  return Object.entries(json.properties).map(([key, schema]) => ({
    name: columnName(key),
    kind: kindFromJsonSchema(key, schema),
    from: { payloadKey: key },
  }));
}

function valueKind(key: string, value: unknown): ColumnKind | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') {
    if (isTimeName(key) && Number.isFinite(value)) return 'timestamp';
    return Number.isSafeInteger(value) ? 'int64' : 'double';
  }
  if (typeof value === 'string') return isTimeName(key) && toMillis(value) !== null ? 'timestamp' : 'string';
  return 'json';
}

/** Two kinds seen for one key: the narrowest that holds both. */
function widen(a: ColumnKind, b: ColumnKind): ColumnKind {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has('int64') && pair.has('double')) return 'double';
  return 'string';
}

/**
 * Columns inferred from sample events, for a type no plugin declares: every key seen, typed by
 * its values (integers, decimals, booleans, times by name and value, nested values as JSON).
 */
export function inferColumns(sample: readonly StoredEvent[], declared: readonly Column[] = []): Column[] {
  const kinds = new Map<string, ColumnKind | null>();
  const known = new Set(declared.map((c) => ('payloadKey' in c.from ? c.from.payloadKey : '')));
  for (const event of sample) {
    for (const [key, value] of Object.entries(event.payload)) {
      if (known.has(key)) continue;
      const kind = valueKind(key, value);
      const prior = kinds.get(key);
      kinds.set(key, prior === undefined || prior === null ? kind : kind === null ? prior : widen(prior, kind));
    }
  }
  return [...kinds].map(([key, kind]) => ({ name: columnName(key), kind: kind ?? 'string', from: { payloadKey: key } }));
}

/** Unix ms from a number (ms; seconds when it is too small to be ms) or an ISO 8601 string. */
export function toMillis(value: unknown): number | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // A Unix time in seconds (the seed's datetime.timestamp()) is below 1e11 until the year 5138.
    return Math.round(Math.abs(value) < 1e11 ? value * 1000 : value);
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    // An ISO time without a zone is UTC, like every time in the log.
    const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** The value converted for its column, or undefined when it does not fit (it goes to payload_extra). */
export function toCell(kind: ColumnKind, value: unknown): Cell | undefined {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'double':
      return typeof value === 'number' ? value : undefined;
    case 'int64':
      return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'timestamp':
      return toMillis(value) ?? undefined;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
      return JSON.stringify(value); // an object or an array (a payload holds nothing else)
    case 'json':
      return JSON.stringify(value);
  }
}
