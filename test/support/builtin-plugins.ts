import type { CatalystPlugin } from '../../src-core';
import alertPlugin from '../../src-plugins/alert';
import orderPlugin from '../../src-plugins/order';
import positionPlugin from '../../src-plugins/position';
import riskPlugin from '../../src-plugins/risk';

/** The four built-in plugins, for tests that open a catalyst as a bot would (the core names no plugins). */
export const BUILT_IN_PLUGINS: readonly CatalystPlugin[] = [orderPlugin, positionPlugin, alertPlugin, riskPlugin];
