import type { EventMetadata } from '../events/types';
import type { CausalScope } from './types';

/** What links an event into its chain. */
export type CausalIds = Pick<EventMetadata, 'correlation_id' | 'causation_id'>;

/**
 * The one rule for an event's correlation and causation ids: what the writer gave wins;
 * otherwise the running scope's correlation id, caused by the event emitted before it in the
 * scope (`previousId`: the scope's last event, or the batch's previous one). Outside any
 * scope: neither.
 */
export function causalIds(given: Partial<EventMetadata>, scope: CausalScope | undefined, previousId: string | null): CausalIds {
  return {
    correlation_id: given.correlation_id !== undefined ? given.correlation_id : (scope?.correlationId ?? null),
    causation_id: given.causation_id !== undefined ? given.causation_id : scope ? previousId : null,
  };
}

/**
 * After events are accepted (committed, or queued in buffered mode): the scope's next event
 * is caused by the last of them that runs under the scope's correlation id.
 */
export function advanceScope(
  scope: CausalScope | undefined,
  accepted: readonly { event_id: string; metadata: Pick<EventMetadata, 'correlation_id'> }[],
): void {
  if (!scope) return;
  for (const event of accepted) {
    if (event.metadata.correlation_id === scope.correlationId) scope.lastEventId = event.event_id;
  }
}
