/** The order plugin's options (`pluginOptions.order` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';
import { createOrderReducer, DEFAULT_ORDER_WINDOWS, type OrderReducer } from './order-reducer';

/** Schema of `pluginOptions.order`; unknown keys are kept. */
export const orderOptionsSchema = z.looseObject({
  /** Entries kept in an order's fills, trade ids and status history (the log keeps them all). */
  historyWindow: z.number().int().min(1).default(DEFAULT_ORDER_WINDOWS.history),
});
/** The order plugin's options, defaults filled. */
export type OrderOptions = z.output<typeof orderOptionsSchema>;

/**
 * Parses `pluginOptions.order` and fills the defaults.
 * @throws {@link src-core!ConfigError} naming each bad key.
 */
export function parseOrderOptions(options: Readonly<Record<string, unknown>>): OrderOptions {
  return parsePluginOptions('order', orderOptionsSchema, options);
}

/** The order fold with the configured window: the one `define` registers and `attach` keeps live state with. */
export function configuredOrderReducer(options: OrderOptions): OrderReducer {
  return createOrderReducer({ history: options.historyWindow });
}
