import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { resolveConfig, type SourceOptions } from '../log-source';
import { parseCount } from '../options';

export interface ServeCommandOptions extends SourceOptions {
  port?: string;
  open?: boolean;
}

/** What src-core/cli/serve.ts (the desktop viewer's HTTP mode) provides. */
export interface ServeModule {
  runServe(options: { db?: string; pg?: string; port: number; host?: '127.0.0.1'; open?: boolean }): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * Delegates to runServe. Imported lazily: the viewer's server is only loaded by this
 * command, and the rest of the CLI works without it.
 */
export async function runServeCommand(options: ServeCommandOptions, ctx: CommandContext): Promise<number> {
  const port = parseCount(options.port ?? '5178', '--port');
  if (port > 65535) throw new CliUsageError(`--port ${port} is not a TCP port`);
  if (options.pg !== undefined) throw new CliUsageError('--pg: reading from PostgreSQL is not available yet; use --db FILE');
  const db = resolveConfig(options, ctx).db;
  let mod: Partial<ServeModule>;
  try {
    mod = (await import(new URL('../serve.ts', import.meta.url).href)) as Partial<ServeModule>;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw error;
    mod = {};
  }
  if (typeof mod.runServe !== 'function') throw new CliUsageError('serve is not available in this build');
  const server = await mod.runServe({ db, port, host: '127.0.0.1', ...(options.open ? { open: true } : {}) });
  const signal = ctx.interrupts();
  ctx.io.out(`serving ${db} at ${server.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  return 0;
}
