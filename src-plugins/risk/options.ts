/** The risk plugin's options (`pluginOptions.risk` in the config). */
import { z } from 'zod';
import { parsePluginOptions } from '../shared/plugin-options';

export const riskOptionsSchema = z.looseObject({
  /** The risk aggregate's id when a call names no `book_id`: one per account or run. */
  bookId: z.string().min(1).default('default'),
});
export type RiskOptions = z.output<typeof riskOptionsSchema>;

export function parseRiskOptions(options: Readonly<Record<string, unknown>>): RiskOptions {
  return parsePluginOptions('risk', riskOptionsSchema, options);
}
