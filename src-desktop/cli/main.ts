/**
 * The composition root: the `catalyst-events` command. The only place that names the
 * default plugins and adds the application's commands to the core's CLI; everything below
 * it (src-plugins, src-core) knows nothing of it. Plugins and the viewer are imported when a
 * command needs them, so `--help` and `--version` load neither.
 */
import type { PluginEntry } from '../../src-core';
import { main as runCliMain, runCli, type RunCliOptions } from '../../src-core/cli';
import { analyticsCommands } from '../../src-plugins/analytics/cli';
import { serveCommand } from '../serve/serve-command';

/** The built-ins (main/builtin-plugins.ts), imported on first use. */
const builtinPlugins = async (): Promise<readonly PluginEntry[]> => (await import('../main/builtin-plugins')).BUILTIN_PLUGINS;

/** The application's wiring: the built-in plugins, the viewer's `serve` and the trader's book (`trades`, `report`, `book`). */
export const CLI_WIRING = { plugins: builtinPlugins, commands: [serveCommand, ...analyticsCommands] } as const satisfies RunCliOptions;

/** One invocation, as the bin runs it (tests call it in-process with their own io). */
export function runCatalystCli(argv: readonly string[], options: Omit<RunCliOptions, 'plugins' | 'commands'> = {}): Promise<number> {
  return runCli(argv, { ...CLI_WIRING, ...options });
}

/** The bin's entry. */
export function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  return runCliMain(argv, CLI_WIRING);
}
