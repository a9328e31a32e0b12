import Table from 'cli-table3';
import type { Colors } from '../io';
import { visibleLength } from './text';

export interface Column {
  header: string;
  /** Never narrower than this (the flexible column), never wider than max. */
  min?: number;
  max?: number;
  /** Takes whatever width the others leave (one column at most). */
  flex?: boolean;
  align?: 'left' | 'right';
}

/** A full-width row between ordinary rows, e.g. a day separator. */
export interface SpanRow {
  span: string;
}

export type Row = string[] | SpanRow;

const GAP = 2;
const NO_BORDER = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' '.repeat(GAP),
};

function isSpan(row: Row): row is SpanRow {
  return !Array.isArray(row);
}

/** Widths that fit `total`: natural widths clamped to max, the flexible column gets the rest. */
export function layoutColumns(columns: readonly Column[], rows: readonly Row[], total: number): number[] {
  const natural = columns.map((column, i) => {
    let width = visibleLength(column.header);
    for (const row of rows) {
      if (!isSpan(row)) width = Math.max(width, visibleLength(row[i] ?? ''));
    }
    return width;
  });
  const widths = natural.map((width, i) => {
    const column = columns[i]!;
    return Math.max(column.min ?? 1, Math.min(width, column.max ?? width));
  });
  const flex = columns.findIndex((c) => c.flex);
  const used = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  if (flex >= 0) {
    const others = used - widths[flex]!;
    widths[flex] = Math.max(columns[flex]!.min ?? 8, Math.min(natural[flex]!, total - others));
  }
  return widths;
}

/**
 * A borderless table (header, then rows), every line cut to its column widths with `…` and
 * trailing spaces trimmed: fits `width` columns of a terminal or a pipe.
 */
export function renderTable(columns: readonly Column[], rows: readonly Row[], width: number, c: Colors): string {
  const widths = layoutColumns(columns, rows, width);
  const table = new Table({
    head: columns.map((column) => c.bold(column.header)),
    colWidths: widths,
    colAligns: columns.map((column) => column.align ?? 'left'),
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    wordWrap: false,
  });
  for (const row of rows) {
    if (isSpan(row)) table.push([{ colSpan: columns.length, content: row.span, hAlign: 'left' }]);
    else table.push(row);
  }
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')}\n`;
}

/** Two columns, key and value, for summaries (stats, show). */
export function renderPairs(pairs: readonly [string, string][], width: number, c: Colors): string {
  const keyWidth = Math.min(28, Math.max(0, ...pairs.map(([k]) => visibleLength(k))));
  const table = new Table({
    colWidths: [keyWidth, Math.max(10, width - keyWidth - GAP)],
    chars: NO_BORDER,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    wordWrap: false,
  });
  for (const [key, value] of pairs) table.push([c.dim(key), value]);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')}\n`;
}
