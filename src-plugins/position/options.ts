/** The position plugin's options (`pluginOptions.position` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';
import { createPositionReducer, DEFAULT_POSITION_WINDOWS, type PositionReducer } from './reducer';

/** Schema of `pluginOptions.position`; unknown keys are kept. */
export const positionOptionsSchema = z.looseObject({
  /** Emit a price update only when the price moved more than this fraction since the last one. */
  priceThreshold: z.number().min(0).default(0.001),
  /** Price updates kept in a position's `price_history` (the log keeps them all). */
  priceHistoryWindow: z.number().int().min(1).default(DEFAULT_POSITION_WINDOWS.priceHistory),
  /** Entries kept in a position's fills, trade and order ids, stop / take-profit histories and triggers. */
  historyWindow: z.number().int().min(1).default(DEFAULT_POSITION_WINDOWS.history),
});
/** The position plugin's options, defaults filled. */
export type PositionOptions = z.output<typeof positionOptionsSchema>;

/**
 * Parses `pluginOptions.position` and fills the defaults.
 * @throws {@link src-core!ConfigError} naming each bad key.
 */
export function parsePositionOptions(options: Readonly<Record<string, unknown>>): PositionOptions {
  return parsePluginOptions('position', positionOptionsSchema, options);
}

/** The position fold with the configured windows: the one `define` registers and `attach` keeps live state with. */
export function configuredPositionReducer(options: PositionOptions): PositionReducer {
  return createPositionReducer({ priceHistory: options.priceHistoryWindow, history: options.historyWindow });
}
