/** The JSON kind of a value: what a reducer's state must keep from its initial state. */
function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Why a snapshot's state cannot be a state of this reducer, or null when it can: it must be
 * the same JSON kind as the reducer's initial state and, for an object, keep its keys (the
 * reducers' states are records whose keys never go away). `null`, `[]` or `"hello"` in place
 * of an order's state is refused, whatever its checksum says.
 */
export function stateShapeProblem(state: unknown, initial: unknown): string | null {
  if (kind(initial) === 'null' || kind(initial) === 'undefined') return null; // the reducer says nothing about its shape
  if (kind(state) !== kind(initial)) return `the state is ${kind(state)}, the reducer's is ${kind(initial)}`;
  if (kind(initial) !== 'object') return null;
  const missing = Object.keys(initial as object).filter(
    (key) => (initial as Record<string, unknown>)[key] !== undefined && !Object.hasOwn(state as object, key),
  );
  return missing.length > 0 ? `the state lacks ${missing.slice(0, 3).join(', ')}` : null;
}
