/** The alert plugin's options (`pluginOptions.alert` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';
import { createAlertReducer, DEFAULT_ALERT_WINDOWS, type AlertReducer } from './reducer';

/** Schema of `pluginOptions.alert`; unknown keys are kept. */
export const alertOptionsSchema = z.looseObject({
  /** Entries kept in an alert's history, decisions, Discord posts and order ids (the log keeps them all). */
  historyWindow: z.number().int().min(1).default(DEFAULT_ALERT_WINDOWS.history),
});
/** The alert plugin's options, defaults filled. */
export type AlertOptions = z.output<typeof alertOptionsSchema>;

/**
 * Parses `pluginOptions.alert` and fills the defaults.
 * @throws {@link src-core!ConfigError} naming each bad key.
 */
export function parseAlertOptions(options: Readonly<Record<string, unknown>>): AlertOptions {
  return parsePluginOptions('alert', alertOptionsSchema, options);
}

/** The alert fold with the configured window: the one `define` registers. */
export function configuredAlertReducer(options: AlertOptions): AlertReducer {
  return createAlertReducer({ history: options.historyWindow });
}
