/**
 * A third-party plugin: portfolio snapshots and daily P&L. It is built exactly as the
 * built-in ones are, but from the outside: it imports only the `catalyst-events` package
 * (and zod), and a bot loads it through its config by path:
 *
 *   { "plugins": ["catalyst-events/plugins/order", "catalyst-events/plugins/position",
 *                 "./examples/portfolio-plugin/index.ts"],
 *     "pluginOptions": { "portfolio": { "accountId": "paper-1" } } }
 */
import type { CatalystPlugin, PluginContext } from 'catalyst-events';
import { ConfigError } from 'catalyst-events';
import { z } from 'zod';
import { registerPortfolioHooks } from './decorators';
import { portfolioEventSchemas } from './events';
import { portfolioReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './reducer';

const optionsSchema = z.looseObject({
  /** The portfolio aggregate's id when a call names no `account_id`. */
  accountId: z.string().min(1).default('default'),
});

const portfolioPlugin: CatalystPlugin = {
  name: 'portfolio',
  version: '1.0.0',
  // It totals the day's realized P&L from position events when the position plugin is
  // loaded too, but needs nothing from it: a bot may pass every figure itself.
  dependencies: [],
  coreApi: '^1.0.0',
  register(ctx: PluginContext): void {
    const options = optionsSchema.safeParse(ctx.options);
    if (!options.success) throw new ConfigError('pluginOptions.portfolio', options.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    for (const schema of portfolioEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(portfolioReducer);
    registerPortfolioHooks(ctx, options.data.accountId);
  },
};

export default portfolioPlugin;
