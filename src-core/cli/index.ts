/**
 * The CLI's public entry (`catalyst-events/cli`): what a composition root needs to run the
 * core's commands with its own plugins and extra commands, and what an extra command needs to
 * parse its options. Light on purpose: starting the CLI (--help, --version) loads no store, no
 * config schema and no plugin; commands load their modules when they run. Reading the config
 * and opening a log the way the core's commands do (resolveConfig, pluginsOf, openReader,
 * openPluginSession) come from the main entry.
 */
export { runCli, main, type RunCliOptions } from './main';
export type { CliCommand, CliRegistration } from './program';
export type { CommandContext } from './context';
export type { CliIo } from './io';
export type { LogSource } from './log-source';
export { EXIT, CliUsageError, isCliUsageError } from './errors';
export { parseCount, parseTime, parseAggregateRef, collectList } from './options';
export type { PluginList, LoadedConfig, SourceOptions, OpenContext } from './source-options';
