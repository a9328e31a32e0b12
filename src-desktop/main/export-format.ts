import type { EventRecord } from '../../src-core';
import { isCorruptEvent } from '../../src-core';
import type { EventFilter, EventReader } from '../../src-core';
import type { ExportFormat } from '../shared/api';

/** Export of a filtered view, streamed page by page so a million rows never sit in memory at once. */

export const CSV_COLUMNS = [
  'position',
  'event_id',
  'event_type',
  'aggregate_type',
  'aggregate_id',
  'sequence_number',
  'created_at',
  'created_at_iso',
  'correlation_id',
  'causation_id',
  'source',
  'payload',
  'corrupt',
] as const;

/**
 * RFC 4180 quoting. Text that a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with a quote: ids and types come from a file someone else wrote.
 */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function iso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvRow(record: EventRecord): string {
  const corrupt = isCorruptEvent(record);
  const values: (string | number | null | undefined)[] = [
    record.position,
    record.event_id,
    record.event_type,
    record.aggregate_type,
    record.aggregate_id,
    record.sequence_number,
    record.created_at,
    iso(record.created_at),
    corrupt ? null : record.metadata.correlation_id,
    corrupt ? null : record.metadata.causation_id,
    corrupt ? null : record.metadata.source,
    // A corrupt row exports its raw text untouched: the export must not "repair" evidence.
    corrupt ? record.raw_payload : JSON.stringify(record.payload),
    corrupt ? `${record.field}: ${record.error}` : null,
  ];
  return values.map(cell).join(',') + '\r\n';
}

export function ndjsonLine(record: EventRecord): string {
  return JSON.stringify(record) + '\n';
}

export interface ExportProgress {
  count: number;
}

/** Yields the export's text in chunks (one per page), oldest event first. */
export async function* exportChunks(
  reader: EventReader,
  filter: EventFilter,
  format: ExportFormat,
  progress: ExportProgress = { count: 0 },
  pageSize = 1000,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  let after: number | undefined;
  for (;;) {
    const page = await reader.readPage(filter, { after, limit: pageSize, direction: 'forward' });
    if (page.records.length > 0) {
      progress.count += page.records.length;
      yield page.records.map(format === 'csv' ? csvRow : ndjsonLine).join('');
    }
    if (page.next === null) return;
    after = page.next;
  }
}
