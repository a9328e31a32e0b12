/** The risk plugin's options (`pluginOptions.risk` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';
import { createRiskReducer, DEFAULT_RISK_SNAPSHOT_EVERY, DEFAULT_RISK_WINDOWS, type RiskReducer } from './reducer';

/** Schema of `pluginOptions.risk`; unknown keys are kept. */
export const riskOptionsSchema = z.looseObject({
  /** The risk aggregate's id when a call names no `book_id`: one per account or run. */
  bookId: z.string().min(1).default('default'),
  /** Failed checks kept in a book's `recent_failures` (the log keeps them all). */
  recentFailuresWindow: z.number().int().min(1).default(DEFAULT_RISK_WINDOWS.recentFailures),
  /** Trips and resets kept in a book's `circuit_breaker_history`. */
  historyWindow: z.number().int().min(1).default(DEFAULT_RISK_WINDOWS.history),
  /** Snapshot a book every this many events, so its rebuild stays bounded. */
  snapshotEvery: z.number().int().min(1).default(DEFAULT_RISK_SNAPSHOT_EVERY),
});
/** The risk plugin's options, defaults filled. */
export type RiskOptions = z.output<typeof riskOptionsSchema>;

/**
 * Parses `pluginOptions.risk` and fills the defaults.
 * @throws {@link src-core!ConfigError} naming each bad key.
 */
export function parseRiskOptions(options: Readonly<Record<string, unknown>>): RiskOptions {
  return parsePluginOptions('risk', riskOptionsSchema, options);
}

/** The book's fold with the configured windows and snapshot interval: the one `define` registers. */
export function configuredRiskReducer(options: RiskOptions): RiskReducer {
  return createRiskReducer({ recentFailures: options.recentFailuresWindow, history: options.historyWindow }, options.snapshotEvery);
}
