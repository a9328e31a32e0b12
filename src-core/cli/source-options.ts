import { resolve } from 'node:path';
import { type CatalystConfig, loadConfig } from '../config/config';
import type { PluginEntry } from '../plugins/plugin-loader';

// What a command knows before it opens a log: light on purpose (the CLI's public entry
// re-exports it, and starting the CLI must not load the store).

/** The options every command that reads a log accepts. */
export interface SourceOptions {
  db?: string;
  /** Every --db given, in order (retention: several files, or a directory of segments, read as one log). */
  dbFiles?: string[];
  pg?: string;
  /** With --pg: only the events forwarded from this source (one bot's file). */
  pgSource?: string;
  config?: string;
}

/** A config as {@link loadConfig} returns it: parsed, paths resolved, and the file it came from (null: none). */
export type LoadedConfig = CatalystConfig & { configFile: string | null };

/** What opening a log needs to know about the process around it. */
export interface OpenContext {
  /** Directory relative paths and the config file are found from. */
  cwd: string;
  /** Environment read for `CATALYST_EVENTS_*`. */
  env: NodeJS.ProcessEnv;
  /** The application's plugins, loaded when the config names none (the composition root's list). */
  plugins?: PluginList;
}

/**
 * Config precedence: defaults < catalyst-events.config.json (or --config) < CATALYST_EVENTS_DB
 * < --db. A --db path is relative to where the command runs, not to the config file.
 */
export function resolveConfig(options: SourceOptions, context: OpenContext): LoadedConfig {
  return loadConfig({
    cwd: context.cwd,
    env: context.env,
    ...(options.config !== undefined ? { file: options.config } : {}),
    ...(options.db !== undefined ? { overrides: { db: resolve(context.cwd, options.db) } } : {}),
  });
}

/**
 * A plugin list, or a function that imports it: a composition root passes the latter so a
 * command that opens no log (--help, --version) never loads a plugin.
 */
export type PluginList = readonly PluginEntry[] | (() => Promise<readonly PluginEntry[]>);

/** The plugin entries of `list`, importing them when it is a function. */
export async function resolvePluginList(list: PluginList): Promise<readonly PluginEntry[]> {
  return typeof list === 'function' ? list() : list;
}

/** The config's plugin list wins; without one, the application's (none for a bare core). */
export async function pluginsOf(config: LoadedConfig, context: OpenContext): Promise<readonly PluginEntry[]> {
  return config.plugins ?? resolvePluginList(context.plugins ?? []);
}
