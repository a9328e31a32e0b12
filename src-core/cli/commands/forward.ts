import { runForward } from '../../forward/forwarder';
import { redactUrl } from '../../store/postgres/connection';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { resolveConfig, type SourceOptions } from '../log-source';
import { parseCount } from '../options';

export interface ForwardCommandOptions extends Pick<SourceOptions, 'db' | 'config'> {
  to?: string;
  follow?: boolean;
  source?: string;
  batch?: string;
  json?: boolean;
}

/**
 * Ships the local log (opened read-only) to PostgreSQL, idempotently by event id and
 * checkpointed per source there, so it resumes where it stopped. With --follow it keeps
 * shipping until SIGINT/SIGTERM, after the batch in flight has committed.
 */
export async function runForwardCommand(options: ForwardCommandOptions, ctx: CommandContext): Promise<number> {
  if (!options.to) throw new CliUsageError('forward needs --to postgres://user@host:port/database');
  if (!/^postgres(ql)?:\/\//.test(options.to)) throw new CliUsageError(`--to must be a postgres:// URL (got ${redactUrl(options.to)})`);
  const batchSize = options.batch === undefined ? undefined : parseCount(options.batch, '--batch');
  if (batchSize !== undefined && (batchSize < 1 || batchSize > 10_000)) throw new CliUsageError('--batch must be from 1 to 10000');
  const { db } = resolveConfig(options, ctx);
  const signal = options.follow ? ctx.interrupts() : undefined;
  const result = await runForward({
    db,
    to: options.to,
    follow: !!options.follow,
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(batchSize !== undefined ? { batchSize } : {}),
    ...(signal ? { signal } : {}),
    log: (message) => ctx.io.err(`${message}\n`),
  });
  if (options.json) {
    ctx.io.out(`${JSON.stringify(result)}\n`);
  } else {
    ctx.io.out(
      `forwarded ${result.forwarded} event(s) from ${db} as source '${result.source}'` +
        `${result.duplicates ? ` (${result.duplicates} already there)` : ''}, ${result.batches} batch(es), up to position ${result.position}` +
        `${result.deadLettered ? `; ${result.deadLettered} row(s) PostgreSQL cannot hold recorded in forward_dead_letters` : ''}\n`,
    );
  }
  return 0;
}
