import type { CatalystPlugin } from '../../src-core/plugins/types';
import alertPlugin from '../../src-plugins/alert';
import orderPlugin from '../../src-plugins/order';
import positionPlugin from '../../src-plugins/position';
import riskPlugin from '../../src-plugins/risk';

/**
 * The four built-ins as objects: a bundled main process cannot import plugins by module
 * specifier at run time, so it passes them to the loader directly.
 */
export const BUNDLED_PLUGINS: readonly CatalystPlugin[] = [orderPlugin, positionPlugin, alertPlugin, riskPlugin];
