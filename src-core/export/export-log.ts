import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEvent } from '../events/types';
import { isCorruptEvent } from '../events/types';
import type { EventReader } from '../store/types';
import { type Cell, type Column, columnsFromSchema, ENVELOPE_COLUMNS, EXTRA_COLUMN, inferColumns, toCell } from './columns';
import { createTableWriter, type ExportFormat } from './table-writer';

/** Where a type's registered payload schema comes from (the plugins' schema registry). */
export interface PayloadSchemas {
  get(eventType: string): { payload: unknown } | undefined;
  upcast?(event: StoredEvent): StoredEvent;
}

/** What {@link exportLog} writes, and where. */
export interface ExportOptions {
  /** The log to export. */
  reader: EventReader;
  /**
   * Registered payload schemas: they type the columns and upcast each event to its current version.
   * Without them columns are inferred from each type's first page of events.
   */
  schemas?: PayloadSchemas;
  /** `parquet` or `csv`: one file per event type. */
  format: ExportFormat;
  /** Event types to export; empty or absent: every type in the log. */
  types?: readonly string[];
  /** Directory the files go into; created when missing. Existing files of the same name are replaced. */
  outDir: string;
  /** Events per read and per row group (default 10 000). */
  batchSize?: number;
  /** Called before the first page and after each page: events read so far of `total` (corrupt rows included). */
  onProgress?: (progress: { done: number; total: number; eventType: string }) => void;
}

/** One file {@link exportLog} wrote: one event type's events. */
export interface ExportedTable {
  eventType: string;
  /** Path of the file. */
  file: string;
  /** Events written to it. */
  rows: number;
  /** Size of the file, in bytes. */
  bytes: number;
  /** Its columns in order: envelope, payload keys, then `payload_extra`. */
  columns: { name: string; kind: Column['kind'] }[];
  /** Rows whose JSON does not parse: left out of the table, counted here. */
  corruptSkipped: number;
}

/** What {@link exportLog} wrote. */
export interface ExportResult {
  format: ExportFormat;
  outDir: string;
  /** One entry per event type exported, in the order written. */
  tables: ExportedTable[];
  /** Events written over all tables (corrupt rows not counted). */
  events: number;
}

/** The event lifted to its current schema version; as stored when lifting fails. */
function upcastOrKeep(schemas: PayloadSchemas | undefined, event: StoredEvent): StoredEvent {
  if (!schemas?.upcast) return event;
  try {
    return schemas.upcast(event);
  } catch {
    return event;
  }
}

/** A file name for an event type that every file system takes. */
function fileNameFor(eventType: string, format: ExportFormat): string {
  return `${eventType.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
}

/** Payload keys with no column, and values that did not fit theirs: one JSON object, or null. */
function extraOf(event: StoredEvent, known: ReadonlySet<string>, misfits: Record<string, unknown> | null): string | null {
  let extra: Record<string, unknown> | null = misfits;
  for (const key in event.payload) {
    if (!known.has(key)) (extra ??= {})[key] = event.payload[key];
  }
  return extra === null ? null : JSON.stringify(extra);
}

/**
 * One table per event type: the envelope columns, then the payload's keys typed as the
 * plugin's zod schema declares them (inferred from the first batch for an undeclared type),
 * then `payload_extra` for anything else. Reads keyset pages of the type and writes one row
 * group per page, so memory holds one page whatever the log's size.
 */
export async function exportLog(options: ExportOptions): Promise<ExportResult> {
  const { reader, format, outDir } = options;
  const batchSize = Math.max(1, Math.min(10_000, options.batchSize ?? 10_000));
  const stats = await reader.stats();
  const types = options.types && options.types.length > 0 ? [...options.types] : Object.keys(stats.byType).sort();
  const total = types.reduce((n, t) => n + (stats.byType[t] ?? 0), 0);
  mkdirSync(outDir, { recursive: true });
  const tables: ExportedTable[] = [];
  let done = 0;
  options.onProgress?.({ done, total, eventType: types[0] ?? '' });
  for (const eventType of types) {
    const declared = columnsFromSchema(options.schemas?.get(eventType)?.payload);
    let columns: Column[] | null = null;
    let known: Set<string> = new Set();
    let writer: ReturnType<typeof createTableWriter> | null = null;
    const file = join(outDir, fileNameFor(eventType, format));
    let rows = 0;
    let corrupt = 0;
    for (let after: number | undefined; ;) {
      const page = await reader.readPage({ types: [eventType] }, { limit: batchSize, ...(after !== undefined ? { after } : {}) });
      const events: StoredEvent[] = [];
      for (const record of page.records) {
        if (isCorruptEvent(record)) corrupt++;
        else events.push(upcastOrKeep(options.schemas, record));
      }
      if (!columns) {
        // Declared keys first (in the schema's order), then keys the events carry besides.
        const payload = [...(declared ?? []), ...inferColumns(events, declared ?? [])];
        columns = [...ENVELOPE_COLUMNS, ...payload, { name: EXTRA_COLUMN, kind: 'json', from: { payloadKey: '' } }];
        known = new Set(payload.map((c) => (c.from as { payloadKey: string }).payloadKey));
        writer = createTableWriter(format, file, columns);
      }
      const cells: Cell[][] = columns.map(() => new Array<Cell>(events.length));
      const payloadColumns = columns.length - 1;
      events.forEach((event, r) => {
        let misfits: Record<string, unknown> | null = null;
        for (let i = 0; i < payloadColumns; i++) {
          const column = columns![i]!;
          const raw = 'envelope' in column.from ? column.from.envelope(event) : event.payload[column.from.payloadKey];
          const cell = toCell(column.kind, raw);
          if (cell === undefined) {
            (misfits ??= {})[(column.from as { payloadKey: string }).payloadKey] = raw;
            cells[i]![r] = null;
          } else {
            cells[i]![r] = cell;
          }
        }
        cells[payloadColumns]![r] = extraOf(event, known, misfits);
      });
      await writer!.write(cells);
      rows += events.length;
      done += page.records.length;
      options.onProgress?.({ done, total, eventType });
      if (page.next === null) break;
      after = page.next;
    }
    const bytes = await writer!.finish();
    tables.push({
      eventType,
      file,
      rows,
      bytes,
      columns: columns.map((c) => ({ name: c.name, kind: c.kind })),
      corruptSkipped: corrupt,
    });
  }
  return { format, outDir, tables, events: tables.reduce((n, t) => n + t.rows, 0) };
}
