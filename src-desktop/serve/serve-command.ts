import { dirname } from 'node:path';
import type { Command } from 'commander';
import type { PluginEntry } from '../../src-core';
import {
  CliUsageError,
  parseCount,
  type CliCommand,
  type CliRegistration,
  type CommandContext,
  type SourceOptions,
} from '../../src-core/cli';
import { openInBrowser } from './open-in-browser';

export interface ServeOptions {
  /** The SQLite log (default: the config's db). */
  db?: string;
  /** Or several files read as one log (a live file and its archive segments). */
  files?: readonly string[];
  /** Or a PostgreSQL URL to read the shared log from. */
  pg?: string;
  /** 0 picks a free port. */
  port: number;
  /** Loopback only: the viewer is never exposed on a network interface. */
  host?: '127.0.0.1';
  /** Open the URL in the default browser. */
  open?: boolean;
  /** The plugins to load when the config names none. Default: none. */
  plugins?: readonly PluginEntry[];
}

export interface ServeHandle {
  /** `http://127.0.0.1:PORT/?token=...`: the only way in. */
  url: string;
  close(): Promise<void>;
}

/** The desktop viewer's renderer and queries over HTTP, read-only, on 127.0.0.1, behind a random token. */
export async function runServe(options: ServeOptions): Promise<ServeHandle> {
  if (options.host !== undefined && options.host !== '127.0.0.1') {
    throw new Error('serve listens on 127.0.0.1 only');
  }
  const { resolveConfig } = await import('../../src-core'); // when serve runs, not when the CLI starts
  const config = resolveConfig(options.db !== undefined ? { db: options.db } : {}, { cwd: process.cwd(), env: process.env });
  // Loaded when serve runs, not when the CLI starts: the viewer pulls in the renderer assets.
  const { startServedViewer } = await import('./start-served-viewer');
  const served = await startServedViewer({
    ...(options.pg !== undefined ? { pg: options.pg } : options.files !== undefined ? { files: options.files } : { db: config.db }),
    port: options.port,
    host: '127.0.0.1',
    plugins: config.plugins ?? options.plugins ?? [],
    baseDir: config.configFile ? dirname(config.configFile) : process.cwd(),
  });
  // Never the token on a command line: the opener gets a launch page only this user can read.
  const launch = options.open ? openInBrowser(served.url) : null;
  return {
    url: served.url,
    close: async () => {
      launch?.remove();
      await served.close();
    },
  };
}

export interface ServeCommandOptions extends SourceOptions {
  port?: string;
  open?: boolean;
}

/**
 * `catalyst-events serve`: delegates to runServe, prints its URL and serves until
 * SIGINT/SIGTERM, then closes it and exits 0.
 */
export async function runServeCommand(options: ServeCommandOptions, ctx: CommandContext): Promise<number> {
  const port = parseCount(options.port ?? '5178', '--port');
  if (port > 65535) throw new CliUsageError(`--port ${port} is not a TCP port`);
  if (options.pg !== undefined && options.db !== undefined) throw new CliUsageError('give either --db FILE or --pg URL, not both');
  if (options.pgSource !== undefined) throw new CliUsageError('serve shows every source of a PostgreSQL log; drop --pg-source');
  const { pluginsOf, resolveConfig, segmentFiles } = await import('../../src-core'); // when serve runs, not when the CLI starts
  const config = resolveConfig(options, ctx);
  // Several --db (or a directory of segments): one log, as every read command reads it.
  const files = segmentFiles(options.dbFiles ?? [], ctx.cwd);
  const target = options.pg !== undefined ? { pg: options.pg } : files !== null ? { files } : { db: config.db };
  const signal = ctx.interrupts();
  const server = await runServe({
    ...target,
    port,
    host: '127.0.0.1',
    plugins: await pluginsOf(config, ctx),
    ...(options.open ? { open: true } : {}),
  });
  const what = target.pg !== undefined ? 'PostgreSQL' : target.files !== undefined ? `${target.files.length} files` : target.db;
  ctx.io.out(`serving ${what} at ${server.url} (Ctrl-C to stop)\n`);
  if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  return 0;
}

/** The command the composition root adds to the core's CLI. */
export const serveCommand: CliCommand = {
  register(program: Command, registration: CliRegistration): void {
    const { ctx } = registration;
    registration
      .withSource(
        program
          .command('serve')
          .description('serve the desktop viewer over HTTP on 127.0.0.1 (Ctrl-C to stop)')
          .option('-p, --port <n>', 'port (0: any free one)', '5178')
          .option('--open', 'open a browser'),
      )
      .action(registration.action(async (options: ServeCommandOptions) => runServeCommand(options, ctx)));
  },
};
