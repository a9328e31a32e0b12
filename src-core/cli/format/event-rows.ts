import type { EventRecord } from '../../events/types';
import { isCorruptEvent } from '../../events/types';
import type { Colors } from '../io';
import { type Column, type Row, renderTable } from './table';
import { formatClock, formatDay } from './time';
import { aggregateLabel, payloadPreview } from './value';

export const EVENT_COLUMNS: readonly Column[] = [
  { header: 'POS', align: 'right' },
  { header: 'TIME UTC', max: 12 },
  { header: 'EVENT', max: 24 },
  { header: 'AGGREGATE#SEQ', max: 22 },
  { header: 'PAYLOAD', flex: true, min: 12 },
];

/** One event as table cells; a corrupt row says so in red and still shows where it sits. */
export function eventCells(record: EventRecord, c: Colors): string[] {
  const corrupt = isCorruptEvent(record);
  return [
    String(record.position),
    formatClock(record.created_at),
    corrupt ? c.red(record.event_type) : typeColor(record.event_type, c),
    aggregateLabel(record),
    corrupt ? c.red(`CORRUPT ${payloadPreview(record)}`) : c.dim(payloadPreview(record)),
  ];
}

/** Failure words red, warning words yellow: the eye finds trouble first. The core knows no domain words beyond these. */
export function typeColor(eventType: string, c: Colors): string {
  if (/FAILED|REJECTED|ERROR|EXCEEDED/.test(eventType)) return c.red(eventType);
  if (/WARNING|CANCELLED|EXPIRED|SKIPPED/.test(eventType)) return c.yellow(eventType);
  return eventType;
}

/** Rows with a day line wherever the UTC date changes (the TIME column shows only the clock). */
export function eventRows(records: readonly EventRecord[], c: Colors, lastDay: string | null = null): Row[] {
  const rows: Row[] = [];
  let day = lastDay;
  for (const record of records) {
    const today = formatDay(record.created_at);
    if (today !== day) {
      rows.push({ span: c.dim(`── ${today} ──`) });
      day = today;
    }
    rows.push(eventCells(record, c));
  }
  return rows;
}

export function renderEventTable(records: readonly EventRecord[], width: number, c: Colors): string {
  return renderTable(EVENT_COLUMNS, eventRows(records, c), width, c);
}
