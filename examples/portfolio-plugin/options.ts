/** The portfolio plugin's options (`pluginOptions.portfolio` in the config). */
import { ConfigError } from 'catalyst-events';
import { z } from 'zod';

export const portfolioOptionsSchema = z.looseObject({
  /** The portfolio aggregate's id when a call names no `account_id`. */
  accountId: z.string().min(1).default('default'),
});
export type PortfolioOptions = z.output<typeof portfolioOptionsSchema>;

export function parsePortfolioOptions(options: Readonly<Record<string, unknown>>): PortfolioOptions {
  const parsed = portfolioOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new ConfigError('pluginOptions.portfolio', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
