import type { EventSchemaDefinition } from './types';

/** A definition as the registry holds it: with the plugin that registered it. */
export interface RegisteredEventSchema extends EventSchemaDefinition {
  /** The registering plugin's name ('unknown' when registered directly). */
  readonly owner: string;
}
