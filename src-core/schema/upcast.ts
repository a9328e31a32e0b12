import type { Payload } from '../events/types';
import type { EventSchemaDefinition } from './types';

/** What the seed writes when it writes no version at all. */
export const SEED_VERSION = '1.0';

/**
 * Why an upcaster list cannot work, or null when it can: every chain must end at the
 * registered version and none may loop, so reading never spins or stops half-lifted.
 */
export function upcasterChainProblem(definition: EventSchemaDefinition): string | null {
  const upcasters = definition.upcasters ?? [];
  const from = new Map<string, string>();
  for (const u of upcasters) {
    if (u.fromVersion === u.toVersion) return `upcaster ${u.fromVersion} -> ${u.toVersion} does not change the version`;
    if (u.fromVersion === definition.version) return `upcaster from the current version ${definition.version}`;
    if (from.has(u.fromVersion)) return `two upcasters from version ${u.fromVersion}`;
    if (typeof u.up !== 'function') return `upcaster ${u.fromVersion} -> ${u.toVersion} has no up() function`;
    from.set(u.fromVersion, u.toVersion);
  }
  for (const start of from.keys()) {
    let version = start;
    for (let steps = 0; version !== definition.version; steps++) {
      const next = from.get(version);
      if (next === undefined) return `upcasters from ${start} end at ${version}, not at ${definition.version}`;
      if (steps > upcasters.length) return `upcasters from ${start} loop`;
      version = next;
    }
  }
  return null;
}

/** Lifts `payload` from `version` as far as the chain goes (to the registered version when the chain is complete). */
export function upcastPayload(definition: EventSchemaDefinition, version: string, payload: Payload): { version: string; payload: Payload } {
  const upcasters = definition.upcasters ?? [];
  let current = { version, payload };
  // Bounded by the chain length even though register() already rejected loops.
  for (let steps = 0; current.version !== definition.version && steps < upcasters.length; steps++) {
    const upcaster = upcasters.find((u) => u.fromVersion === current.version);
    if (!upcaster) break;
    current = { version: upcaster.toVersion, payload: upcaster.up(current.payload) };
  }
  return current;
}
