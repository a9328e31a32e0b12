import type { z } from 'zod';
import type { Payload } from '../events/types';

/** Lifts a payload written under an older schema version to the next one, on read. */
export interface Upcaster {
  /** The `metadata.version` this upcaster reads. */
  fromVersion: string;
  /** The `metadata.version` its result has. */
  toVersion: string;
  /** Returns the payload as version `toVersion` has it. Runs on every read of an older event, so keep it pure. */
  up(payload: Payload): Payload;
}

/** One event type's schema, as a plugin registers it. */
export interface EventSchemaDefinition<S extends z.ZodType = z.ZodType> {
  eventType: string;
  aggregateType: string;
  /** Written to metadata.version; the seed writes "1.0". */
  version: string;
  payload: S;
  description?: string;
  upcasters?: readonly Upcaster[];
}
