/**
 * The CLI's public entry (`catalyst-events/cli`): what a composition root needs to run the
 * core's commands with its own plugins and extra commands, and what an extra command needs
 * to read a log the way the core's commands do. Kept apart from the main entry so starting
 * the CLI does not load the whole core (commands load their modules when they run).
 */
export { runCli, main, type RunCliOptions } from './main';
export type { CliCommand, CliRegistration } from './program';
export type { CommandContext } from './context';
export type { CliIo } from './io';
export { EXIT, CliUsageError, isCliUsageError } from './errors';
export { parseCount, parseTime, parseAggregateRef, collectList } from './options';
export { openReader, resolveConfig, pluginsOf, type LogSource, type SourceOptions, type OpenContext } from './log-source';
export { openPluginSession } from './plugin-session';
