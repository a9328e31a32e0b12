/**
 * Marks an event the store returned for an idempotent repeat: the log already held it, so
 * nothing new happened and listeners are not told again. A symbol, not a field, so receipts,
 * JSON and equality are unchanged.
 */
const REPEAT = Symbol.for('catalyst-events.repeat');

export function markRepeat<T extends object>(event: T): T {
  Object.defineProperty(event, REPEAT, { value: true, enumerable: false });
  return event;
}

export function isRepeat(event: object): boolean {
  return (event as Record<symbol, unknown>)[REPEAT] === true;
}
