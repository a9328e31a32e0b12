import { type CatalystReader, openCatalystReader } from '../container/create-catalyst';
import { type LogSource, resolvePluginList } from './log-source';

/**
 * The plugins' schemas and reducers over an opened log, loaded through the plugin loader from
 * config.plugins, else the application's list (the CLI's composition root passes the
 * built-ins). Only their `define` runs: a read attaches no hook handler and builds no live
 * state. The log stays the caller's: closing the session does not close it. The emitter
 * refuses writes; snapshots are written only when the log was opened for writing.
 */
export async function openPluginSession(source: LogSource): Promise<CatalystReader> {
  return openCatalystReader(source.config, { store: source.store, plugins: await resolvePluginList(source.plugins) });
}
