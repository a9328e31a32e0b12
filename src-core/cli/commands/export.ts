import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import type { SourceOptions } from '../log-source';
import { collectList } from '../options';

/** What the retention commands register with (the program's own helpers). */
export interface RetentionRegistration {
  readonly ctx: CommandContext;
  // Function properties, not methods: the commands take them apart (`{ action, withSource }`).
  readonly action: <A extends unknown[]>(run: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;
  readonly withSource: (command: Command, options?: { pg?: boolean }) => Command;
}

export interface ExportCommandOptions extends SourceOptions {
  format: 'parquet' | 'csv';
  type?: string[];
  out?: string;
  batch?: string;
  json?: boolean;
}

export function registerExportCommand(program: Command, { ctx, action, withSource }: RetentionRegistration): void {
  withSource(
    program
      .command('export')
      .description('write one table per event type (Parquet or CSV) for pandas, polars, DuckDB')
      .addOption(new Option('-f, --format <format>', 'table format').choices(['parquet', 'csv']).default('parquet'))
      .option('-t, --type <types>', 'event types, comma-separated or repeated (default: every type)', collectList)
      .option('-o, --out <dir>', 'directory for the tables (one <EVENT_TYPE>.<format> each)')
      .option('--batch <n>', 'events per read and per Parquet row group (default 10000)')
      .option('--json', 'print what was written as JSON')
      .addHelpText(
        'after',
        `
Columns: the envelope (position, event_id, event_type, aggregate_type, aggregate_id,
sequence_number, created_at as a UTC timestamp, source, correlation_id, causation_id,
user_id, schema_version), then the payload's keys typed as the plugin's schema declares
them (numbers, booleans, times as timestamps, nested values as JSON text), then
payload_extra (JSON of any key without a column). Rows whose JSON does not parse are
left out and counted.

  duckdb -c "select * from 'OUT/ORDER_FILLED.parquet'"
  python -c "import pandas as pd; print(pd.read_parquet('OUT/ORDER_FILLED.parquet'))"`,
      ),
  ).action(action(async (options: ExportCommandOptions) => runExport(options, ctx)));
}

export async function runExport(options: ExportCommandOptions, ctx: CommandContext): Promise<number> {
  if (!options.out) throw new CliUsageError('export needs --out DIR');
  const batchSize = options.batch === undefined ? undefined : Number(options.batch);
  if (batchSize !== undefined && (!Number.isSafeInteger(batchSize) || batchSize < 1)) {
    throw new CliUsageError(`--batch '${options.batch}' must be a whole number >= 1`);
  }
  // Loaded when the command runs, so registering it keeps --help fast.
  const [{ exportLog }, { openReader }, { openPluginSession }, { createProgress }, { formatBytes }] = await Promise.all([
    import('../../export/export-log'),
    import('../log-source'),
    import('../plugin-session'),
    import('../progress'),
    import('../format/time'),
  ]);
  const source = await openReader(options, ctx);
  const progress = createProgress(ctx.io);
  try {
    const session = await openPluginSession(source);
    try {
      const result = await exportLog({
        reader: source.reader,
        schemas: session.schemas,
        format: options.format,
        ...(options.type ? { types: options.type } : {}),
        outDir: resolve(ctx.cwd, options.out),
        ...(batchSize !== undefined ? { batchSize } : {}),
        onProgress: (p) => (p.done === 0 ? progress.start(p.total, `export ${options.format}`) : progress.update(p.done)),
      });
      progress.stop();
      const { io } = ctx;
      if (options.json) {
        io.out(`${JSON.stringify(result, null, 2)}\n`);
        return 0;
      }
      for (const t of result.tables) {
        const skipped = t.corruptSkipped > 0 ? io.c.red(` (${t.corruptSkipped} corrupt rows left out)`) : '';
        io.out(`${t.eventType}: ${t.rows} rows, ${formatBytes(t.bytes)} → ${t.file}${skipped}\n`);
      }
      io.out(`${result.events} events in ${result.tables.length} tables\n`);
      return 0;
    } finally {
      await session.close();
    }
  } finally {
    progress.stop();
    await source.close();
  }
}
