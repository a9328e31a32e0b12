/**
 * A third-party plugin: portfolio snapshots and daily P&L. It is built exactly as the
 * built-in ones are (events.ts, reducer.ts, decorators.ts, handlers/<point>.ts, decide.ts,
 * index.ts with define and attach), but from the outside: it imports only the
 * `catalyst-events` package (and zod), and a bot loads it through its config by path:
 *
 *   { "plugins": ["catalyst-events/plugins/order", "catalyst-events/plugins/position",
 *                 "./examples/portfolio-plugin/index.ts"],
 *     "pluginOptions": { "portfolio": { "accountId": "paper-1" } } }
 */
import type { CatalystPlugin, DefineContext, EventDefinitions, PluginContext } from 'catalyst-events';
import { PORTFOLIO_EVENTS, portfolioEventSchemas } from './events';
import { PortfolioHandlers } from './handlers/context';
import { attachDailyPnl } from './handlers/daily-pnl';
import { attachSnapshot } from './handlers/snapshot';
import { parsePortfolioOptions } from './options';
import { portfolioReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './options';
export * from './reducer';

const portfolioPlugin = {
  name: 'portfolio',
  version: '1.0.0',
  // It totals the day's realized P&L from position events when the position plugin is
  // loaded too, but needs nothing from it: a bot may pass every figure itself.
  dependencies: [],
  coreApi: '^1.2.0', // define and attach
  /** The catalogue, for `CatalogueOfPlugins` (typed emit). */
  events: PORTFOLIO_EVENTS,
  define(ctx: DefineContext): void {
    parsePortfolioOptions(ctx.options);
    for (const schema of portfolioEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(portfolioReducer);
  },
  attach(ctx: PluginContext): void {
    const h = new PortfolioHandlers(ctx, parsePortfolioOptions(ctx.options).accountId);
    attachSnapshot(h);
    attachDailyPnl(h);
  },
} satisfies CatalystPlugin & { readonly events: EventDefinitions };

export default portfolioPlugin;
