/**
 * The CLI's public entry (`catalyst-events/cli`): what a composition root needs to run the
 * core's commands with its own plugins and extra commands, and what an extra command needs to
 * parse its options. Light on purpose: starting the CLI (--help, --version) loads no store and
 * no plugin; commands load their modules when they run. Opening a log (openReader,
 * openPluginSession) comes from the main entry.
 */
export { runCli, main, type RunCliOptions } from './main';
export type { CliCommand, CliRegistration } from './program';
export type { CommandContext } from './context';
export type { CliIo } from './io';
export type { LogSource } from './log-source';
export { EXIT, CliUsageError, isCliUsageError } from './errors';
export { parseCount, parseTime, parseAggregateRef, collectList } from './options';
export {
  resolveConfig,
  pluginsOf,
  resolvePluginList,
  type PluginList,
  type LoadedConfig,
  type SourceOptions,
  type OpenContext,
} from './source-options';
