import { randomUUID } from 'node:crypto';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import type { SourceOptions } from '../log-source';
import type { RetentionRegistration } from './export';

export interface ArchiveCommandOptions extends SourceOptions {
  before?: string;
  to?: string;
  policy?: boolean;
  dryRun?: boolean;
  recover?: boolean;
  vacuum?: boolean;
  json?: boolean;
}

const DAY_MS = 86_400_000;

export function registerArchiveCommand(program: Command, { ctx, action, withSource }: RetentionRegistration): void {
  withSource(
    program
      .command('archive')
      .description('move the events of aggregates that ended before a time into a segment file: WRITES both files')
      .option('--before <time>', 'aggregates that ended before this time (Unix ms, ISO 8601 or an age: 30d)')
      .option('--to <file>', 'the archive segment (created if missing; same format as the live file)')
      .option('--policy', 'use "retention" from the config: archiveAfterDays and dir (one segment per quarter)')
      .option('--dry-run', 'say what would move; change nothing')
      .option('--recover', 'only finish what an interrupted archive left (every read-write open does this first)')
      .option('--no-vacuum', 'leave the freed pages in the live file (later appends reuse them)')
      .option('--json', 'the outcome as JSON'),
    { pg: false },
  )
    .addHelpText(
      'after',
      `
Ended aggregates (their reducer calls the state terminal: a closed position, a terminal
order, a decided alert) move whole. Long-lived ones (risk, open positions) move up to the
event before their last one before TIME; the live file keeps that event and a snapshot.
Each event keeps its global position and sequence number, so the files read as one log:
  catalyst-events events --db live.db --db archive.db     (or --db ./data/archive)
The copy is verified (count and SHA-256 of the moved rows) before the live rows go, in one
transaction, whose commit is the move's one commit point. Killed at any point, readers see
every event once, and the next read-write open of either file (a bot's start, any archive
run, or --recover) leaves every event in exactly one file.`,
    )
    .action(action(async (options: ArchiveCommandOptions) => runArchiveCommand(options, ctx)));
}

/** The quarter's segment for a cutoff: <dir>/<live name>-2026q3.db. */
export function policySegmentFile(dir: string, liveFile: string, before: number): string {
  const date = new Date(before);
  const quarter = Math.floor(date.getUTCMonth() / 3) + 1;
  const name = basename(liveFile, extname(liveFile));
  return join(dir, `${name}-${date.getUTCFullYear()}q${quarter}.db`);
}

export async function runArchiveCommand(options: ArchiveCommandOptions, ctx: CommandContext): Promise<number> {
  const [
    { resolveConfig, openReader, openWriter },
    { openPluginSession },
    { parseTime },
    { runArchive },
    { recoverArchive },
    { formatBytes },
  ] = await Promise.all([
    import('../log-source'),
    import('../plugin-session'),
    import('../options'),
    import('../../archive/run-archive'),
    import('../../store/sqlite/archive-segment'),
    import('../format/time'),
  ]);
  const { io } = ctx;
  const config = resolveConfig(options, ctx);
  const liveFile = config.db;
  if (options.recover) {
    const recovered = recoverArchive(liveFile, config.busyTimeoutMs);
    if (options.json) io.out(`${JSON.stringify({ liveFile, recovered }, null, 2)}\n`);
    else
      io.out(`recovered ${liveFile}: ${recovered.rolledBack.length} interrupted move(s) undone, ${recovered.completed.length} finished\n`);
    return 0;
  }
  let before: number;
  let archiveFile: string;
  if (options.policy) {
    if (options.before !== undefined || options.to !== undefined)
      throw new CliUsageError('--policy takes --before and --to from the config; give one or the other');
    const retention = (config as { retention?: { archiveAfterDays: number; dir: string } }).retention;
    if (!retention)
      throw new CliUsageError('--policy needs "retention": { "archiveAfterDays": 30, "dir": "./data/archive" } in the config');
    before = ctx.now() - retention.archiveAfterDays * DAY_MS;
    const base = config.configFile ? dirname(config.configFile) : ctx.cwd;
    archiveFile = policySegmentFile(resolve(base, retention.dir), liveFile, before);
  } else {
    if (options.before === undefined || options.to === undefined)
      throw new CliUsageError('archive needs --before TIME and --to FILE (or --policy)');
    before = parseTime(options.before, '--before', ctx.now());
    archiveFile = resolve(ctx.cwd, options.to);
  }
  if (resolve(archiveFile) === resolve(liveFile)) throw new CliUsageError('--to must be another file than the live log');
  if (!options.dryRun) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dirname(archiveFile), { recursive: true });
    // Opened for writing once: a seed-written live file gets our additions (positions) first.
    await openWriter(options, ctx).close();
  }
  const source = await openReader(options, ctx);
  try {
    const session = await openPluginSession(source);
    try {
      const outcome = await runArchive({
        liveFile,
        archiveFile,
        before,
        reader: source.reader,
        rebuilder: session.rebuilder,
        reducers: session.reducers,
        dryRun: !!options.dryRun,
        compact: options.vacuum !== false,
        now: ctx.now(),
        batchId: randomUUID(),
        busyTimeoutMs: config.busyTimeoutMs,
      });
      if (options.json) {
        io.out(`${JSON.stringify(outcome, null, 2)}\n`);
        return 0;
      }
      const { c } = io;
      const what = `${outcome.events} event(s) of ${outcome.aggregates.ended} ended aggregate(s) and ${outcome.aggregates.upToSnapshot} long-lived one(s) (up to a snapshot)`;
      if (outcome.recovered.rolledBack.length > 0)
        io.out(c.yellow(`undid ${outcome.recovered.rolledBack.length} interrupted move(s) first\n`));
      if (outcome.dryRun) {
        io.out(`would move ${what} from ${liveFile} to ${archiveFile} (before ${new Date(before).toISOString()})\n`);
      } else if (!outcome.move) {
        io.out(`nothing to archive before ${new Date(before).toISOString()}\n`);
      } else {
        io.out(
          `moved ${what} to ${archiveFile}; verified (sha256 ${outcome.move.checksum.slice(0, 16)}), ${outcome.move.snapshotsWritten} snapshot(s) written\n`,
        );
        io.out(`live file ${formatBytes(outcome.liveBytesBefore)} → ${formatBytes(outcome.liveBytesAfter)}\n`);
      }
      const kept = outcome.kept;
      if (kept.anomalies + kept.noReducer > 0) {
        io.out(c.dim(`kept whole: ${kept.anomalies} with anomalies or corrupt rows, ${kept.noReducer} of types no plugin folds\n`));
      }
      return 0;
    } finally {
      await session.close();
    }
  } finally {
    await source.close();
  }
}
