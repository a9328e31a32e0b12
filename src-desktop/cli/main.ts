/**
 * The composition root: the `catalyst-events` command. The only place that names the
 * default plugins and adds the application's commands to the core's CLI; everything below
 * it (src-plugins, src-core) knows nothing of it.
 */
import { runCli, runCliMain, type RunCliOptions } from '../../src-core';
import { serveCommand } from '../serve/serve-command';
import { BUILTIN_PLUGINS } from '../main/builtin-plugins';
import { analyticsCommands } from '../../src-plugins/analytics/cli';

/** The application's wiring: the built-in plugins, the viewer's `serve` and the analytics commands (trades, report, book). */
export const CLI_WIRING = { plugins: BUILTIN_PLUGINS, commands: [serveCommand, ...analyticsCommands] } as const satisfies RunCliOptions;

/** One invocation, as the bin runs it (tests call it in-process with their own io). */
export function runCatalystCli(argv: readonly string[], options: Omit<RunCliOptions, 'plugins' | 'commands'> = {}): Promise<number> {
  return runCli(argv, { ...CLI_WIRING, ...options });
}

/** The bin's entry. */
export function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return runCliMain(argv, CLI_WIRING);
}
