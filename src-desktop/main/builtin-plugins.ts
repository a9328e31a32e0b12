import type { CatalystPlugin } from '../../src-core';
import alertPlugin from '../../src-plugins/alert';
import orderPlugin from '../../src-plugins/order';
import positionPlugin from '../../src-plugins/position';
import riskPlugin from '../../src-plugins/risk';

/**
 * The four built-ins, the application's default plugin list (used when a config names
 * none): the CLI's composition root and the Electron main process both pass it. Objects,
 * not module specifiers: a bundled main process cannot import by specifier at run time,
 * and from source a specifier would resolve through the package's exports to its build.
 */
export const BUILTIN_PLUGINS: readonly CatalystPlugin[] = [orderPlugin, positionPlugin, alertPlugin, riskPlugin];
