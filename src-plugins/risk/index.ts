/**
 * The risk plugin: the `risk` aggregate, one per book. A bot imports its decorators from
 * 'catalyst-events/plugins/risk'; the loader imports the default export.
 * Options (`pluginOptions.risk`): `bookId` (default 'default'), `recentFailuresWindow` (100),
 * `historyWindow` (200 trips and resets), `snapshotEvery` (1000 events: a book lives for ever).
 *
 * `define` gives the catalogue's schemas and the reducer (every session, read-only ones
 * too); `attach` gives the hook handlers (a bot's session only).
 */
import type { DefineContext, PluginContext } from '../../src-core';
import type { CatalogedPlugin } from '../shared/catalogue';
import { RISK_EVENTS, riskEventSchemas } from './events';
import { attachCheck } from './handlers/check';
import { RiskHandlers } from './handlers/context';
import { attachDailyLossLimit } from './handlers/daily-loss-limit';
import { attachPositionLimit } from './handlers/position-limit';
import { attachResetCircuitBreaker } from './handlers/reset-circuit-breaker';
import { attachTripCircuitBreaker } from './handlers/trip-circuit-breaker';
import { configuredRiskReducer, parseRiskOptions } from './options';

export * from './decorators';
export * from './events';
export * from './options';
export * from './reducer';

/** The risk plugin object: name it in the config's `plugins` (or pass it to `createCatalyst`). */
const riskPlugin = {
  name: 'risk',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.2.0', // define and attach
  /** The catalogue, for `CatalogueOfPlugins` (typed emit). */
  events: RISK_EVENTS,
  /**
   * Registers the risk event schemas and the book reducer.
   * @throws {@link src-core!ConfigError} when `pluginOptions.risk` is invalid.
   */
  define(ctx: DefineContext): void {
    const options = parseRiskOptions(ctx.options); // a bad option fails every session, read-only ones too
    for (const schema of riskEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(configuredRiskReducer(options));
  },
  /**
   * Attaches the hook handlers that turn decorated bot methods into events (write sessions only).
   * @throws {@link src-core!ConfigError} when `pluginOptions.risk` is invalid.
   */
  attach(ctx: PluginContext): void {
    const h = new RiskHandlers(ctx, parseRiskOptions(ctx.options));
    attachCheck(h);
    attachPositionLimit(h);
    attachDailyLossLimit(h);
    attachTripCircuitBreaker(h);
    attachResetCircuitBreaker(h);
  },
} satisfies CatalogedPlugin;

export default riskPlugin;
