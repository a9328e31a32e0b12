import { causalIds } from '../causality/links';
import type { CausalScope } from '../causality/types';
import { UuidV7Generator } from '../events/ids';
import type { EventMetadata, NewEvent, PreparedEvent } from '../events/types';
import { setOwn } from '../schema/json-safety';
import { SEED_VERSION } from '../schema/upcast';

/** metadata.source of an event whose writer gave none. */
export const DEFAULT_SOURCE = 'catalyst-events';
const NO_METADATA: Partial<EventMetadata> = Object.freeze({});

/** Options of {@link prepareEvent}; all optional. */
export interface PrepareOptions {
  /** Unix ms for an event without created_at. Default: Date.now(). */
  now?: number;
  /** Makes the event_id of an event without one. Default: one generator shared by the process. */
  ids?: UuidV7Generator;
  /** metadata.version when the writer gave none (the emitter passes the schema's). Default: the seed's "1.0". */
  version?: string;
  /** The running causal scope and the id of the event before this one in it. */
  scope?: CausalScope;
  /** Id of the event emitted before this one in `scope`: its causation id (ignored without a scope). */
  previousId?: string | null;
}

/**
 * THE place an event's id, time and metadata are completed: the seed's metadata keys
 * (source, correlation_id, causation_id, user_id, version), what the writer gave winning.
 * The emitter calls it once per event; the store writes a PreparedEvent exactly as given.
 * Exported for writers that go around the emitter on purpose (fixtures, import tools).
 */
export function prepareEvent(event: NewEvent, options: PrepareOptions = {}): PreparedEvent {
  const given = event.metadata ?? NO_METADATA;
  const now = options.now ?? Date.now();
  const createdAt = event.created_at ?? now;
  const links = causalIds(given, options.scope, options.previousId ?? null);
  // The writer's keys in the writer's order, then the seed's keys it lacks: what
  // `{ ...given, source, ... }` builds, without a spread's generic copy per event (this runs
  // on every emit, on the bot's thread).
  const metadata = {} as EventMetadata & Record<string, unknown>;
  for (const key in given) {
    if (!Object.hasOwn(given, key)) continue;
    setOwn(metadata, key, (given as Record<string, unknown>)[key]);
  }
  metadata.source = given.source ?? DEFAULT_SOURCE;
  metadata.correlation_id = links.correlation_id;
  metadata.causation_id = links.causation_id;
  metadata.user_id = given.user_id ?? null;
  metadata.version = given.version ?? options.version ?? SEED_VERSION;
  const prepared: PreparedEvent = {
    // A caller-given created_at keeps the id's time prefix in step with it; a bad one is
    // not fed to the generator (validation reports it).
    event_id: event.event_id ?? (options.ids ?? defaultIds()).next(Number.isSafeInteger(createdAt) ? createdAt : now),
    event_type: event.event_type,
    aggregate_type: event.aggregate_type,
    aggregate_id: event.aggregate_id,
    payload: event.payload,
    metadata,
    created_at: createdAt,
  };
  if (event.expected_version !== undefined) prepared.expected_version = event.expected_version;
  return prepared;
}

let shared: UuidV7Generator | undefined;
function defaultIds(): UuidV7Generator {
  return (shared ??= new UuidV7Generator());
}
