/**
 * The risk plugin: the `risk` aggregate, one per book. A bot imports its decorators from
 * 'catalyst-events/plugins/risk'; the loader imports the default export.
 * Options (`pluginOptions.risk`): `bookId` (default 'default').
 */
import type { CatalystPlugin, PluginContext } from '../../src-core';
import { registerRiskHooks } from './decorators';
import { riskEventSchemas } from './events';
import { riskReducer } from './reducer';

export * from './decorators';
export * from './events';
export * from './reducer';

const riskPlugin: CatalystPlugin = {
  name: 'risk',
  version: '1.0.0',
  dependencies: [],
  coreApi: '^1.0.0',
  register(ctx: PluginContext): void {
    for (const schema of riskEventSchemas) ctx.schemas.register(schema);
    ctx.reducers.register(riskReducer);
    registerRiskHooks(ctx);
  },
};

export default riskPlugin;
