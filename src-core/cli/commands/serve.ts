import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { resolveConfig, type SourceOptions } from '../log-source';
import { parseCount } from '../options';
import { runServe } from '../serve';

export interface ServeCommandOptions extends SourceOptions {
  port?: string;
  open?: boolean;
}

/**
 * Delegates to runServe (the desktop viewer over HTTP, on 127.0.0.1), prints its URL and
 * serves until SIGINT/SIGTERM, then closes it and exits 0.
 */
export async function runServeCommand(options: ServeCommandOptions, ctx: CommandContext): Promise<number> {
  const port = parseCount(options.port ?? '5178', '--port');
  if (port > 65535) throw new CliUsageError(`--port ${port} is not a TCP port`);
  if (options.pg !== undefined && options.db !== undefined) throw new CliUsageError('give either --db FILE or --pg URL, not both');
  if (options.pgSource !== undefined) throw new CliUsageError('serve shows every source of a PostgreSQL log; drop --pg-source');
  const target = options.pg !== undefined ? { pg: options.pg } : { db: resolveConfig(options, ctx).db };
  const signal = ctx.interrupts();
  const server = await runServe({ ...target, port, host: '127.0.0.1', ...(options.open ? { open: true } : {}) });
  ctx.io.out(`serving ${target.pg !== undefined ? 'PostgreSQL' : target.db} at ${server.url} (Ctrl-C to stop)\n`);
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  return 0;
}
