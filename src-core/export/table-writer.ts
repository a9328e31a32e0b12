import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import type { SchemaElement } from 'hyparquet';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { settled } from '../store/settled';
import type { Cell, Column, ColumnKind } from './columns';

/** One table being written: rows go in a batch at a time, so memory holds one batch. */
export interface TableWriter {
  readonly file: string;
  /** Rows as columns of cells (each array one column, all the same length). */
  write(columns: Cell[][]): Promise<void>;
  /** Closes the file; returns its size in bytes. */
  finish(): Promise<number>;
}

export type ExportFormat = 'parquet' | 'csv';

function parquetElement(name: string, kind: ColumnKind): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (kind) {
    case 'double':
      return { ...optional, type: 'DOUBLE' };
    case 'int64':
      return { ...optional, type: 'INT64' };
    case 'boolean':
      return { ...optional, type: 'BOOLEAN' };
    case 'timestamp':
      // Unix ms, UTC: DuckDB reads TIMESTAMP WITH TIME ZONE, pandas datetime64[ms, UTC].
      return {
        ...optional,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
    case 'string':
    case 'json':
      // JSON as plain UTF-8 text: every reader takes it as a string column, json_extract works on it.
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  }
}

/**
 * A Parquet file written incrementally with hyparquet-writer's ParquetWriter: each `write` is
 * one row group, flushed to disk in 1 MB chunks; only the footer's metadata stays in memory.
 */
export class ParquetTableWriter implements TableWriter {
  private readonly writer: ParquetWriter;
  private readonly columns: readonly Column[];

  constructor(
    readonly file: string,
    columns: readonly Column[],
  ) {
    this.columns = columns;
    const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map((c) => parquetElement(c.name, c.kind))];
    this.writer = new ParquetWriter({ writer: fileWriter(file), schema, createdBy: 'catalyst-events export' });
  }

  async write(cells: Cell[][]): Promise<void> {
    const rows = cells[0]?.length ?? 0;
    if (rows === 0) return;
    await this.writer.write({
      // INT64 columns take bigints (timestamps are converted by the writer from their logical type).
      columnData: this.columns.map((c, i) => ({
        name: c.name,
        data: (c.kind === 'int64' ? cells[i]!.map((v) => (v === null ? null : BigInt(v as number))) : cells[i]!) as never,
      })),
      rowGroupSize: rows,
    });
  }

  async finish(): Promise<number> {
    await this.writer.finish();
    return statSync(this.file).size;
  }
}

function csvField(kind: ColumnKind, cell: Cell): string {
  if (cell === null) return '';
  let text: string;
  if (kind === 'timestamp') text = new Date(Number(cell)).toISOString();
  else text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row; times as ISO 8601 UTC, empty for null. */
export class CsvTableWriter implements TableWriter {
  private readonly fd: number;

  constructor(
    readonly file: string,
    private readonly columns: readonly Column[],
  ) {
    this.fd = openSync(file, 'w');
    writeSync(this.fd, `${columns.map((c) => csvField('string', c.name)).join(',')}\r\n`);
  }

  // Synchronous writes behind TableWriter's promises; settled() keeps a throw a rejection.
  write(cells: Cell[][]): Promise<void> {
    return settled(() => {
      const rows = cells[0]?.length ?? 0;
      const lines: string[] = [];
      for (let r = 0; r < rows; r++) {
        lines.push(this.columns.map((c, i) => csvField(c.kind, cells[i]![r]!)).join(','));
      }
      if (lines.length > 0) writeSync(this.fd, `${lines.join('\r\n')}\r\n`);
    });
  }

  finish(): Promise<number> {
    return settled(() => {
      closeSync(this.fd);
      return statSync(this.file).size;
    });
  }
}

export function createTableWriter(format: ExportFormat, file: string, columns: readonly Column[]): TableWriter {
  return format === 'parquet' ? new ParquetTableWriter(file, columns) : new CsvTableWriter(file, columns);
}
