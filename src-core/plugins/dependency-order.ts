import { PluginError } from '../errors';
import type { CatalystPlugin } from './types';

/**
 * Orders plugins so each comes after its dependencies, keeping the listed order wherever
 * dependencies allow it (a stable topological sort). `loaded` are names registered by an
 * earlier load, which satisfy dependencies without being in the list.
 */
export function orderByDependencies<P extends Pick<CatalystPlugin, 'name' | 'dependencies'>>(
  plugins: readonly P[],
  loaded: ReadonlySet<string> = new Set(),
): P[] {
  const byName = new Map(plugins.map((p) => [p.name, p]));
  for (const plugin of plugins) {
    for (const dep of plugin.dependencies ?? []) {
      if (!byName.has(dep) && !loaded.has(dep)) {
        throw new PluginError(
          [plugin.name, dep],
          `${plugin.name} depends on '${dep}', which is neither loaded nor in the plugin list; add it to "plugins" in the config`,
        );
      }
    }
  }
  const ordered: P[] = [];
  const placed = new Set<string>();
  let pending = [...plugins];
  while (pending.length > 0) {
    const ready = pending.find((p) => (p.dependencies ?? []).every((d) => placed.has(d) || loaded.has(d)));
    if (ready === undefined) {
      const cycle = findCycle(pending, byName);
      throw new PluginError(cycle.slice(0, -1), `dependency cycle: ${cycle.join(' -> ')}`);
    }
    ordered.push(ready);
    placed.add(ready.name);
    pending = pending.filter((p) => p !== ready);
  }
  return ordered;
}

/** Walks dependencies from the first stuck plugin until a name repeats: that loop is the cycle. */
function findCycle<P extends Pick<CatalystPlugin, 'name' | 'dependencies'>>(stuck: readonly P[], byName: ReadonlyMap<string, P>): string[] {
  const stuckNames = new Set(stuck.map((p) => p.name));
  const path: string[] = [];
  let current: string | undefined = stuck[0]!.name;
  while (current !== undefined && !path.includes(current)) {
    path.push(current);
    current = (byName.get(current)?.dependencies ?? []).find((d) => stuckNames.has(d));
  }
  if (current === undefined) return [...path, path[0]!]; // unreachable: every stuck plugin waits on a stuck one
  return [...path.slice(path.indexOf(current)), current];
}
