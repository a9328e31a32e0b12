/** The position plugin's options (`pluginOptions.position` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';

export const positionOptionsSchema = z.looseObject({
  /** Emit a price update only when the price moved more than this fraction since the last one. */
  priceThreshold: z.number().min(0).default(0.001),
});
export type PositionOptions = z.output<typeof positionOptionsSchema>;

export function parsePositionOptions(options: Readonly<Record<string, unknown>>): PositionOptions {
  return parsePluginOptions('position', positionOptionsSchema, options);
}
