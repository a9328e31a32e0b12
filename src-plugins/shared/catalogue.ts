/**
 * Reading a plugin's catalogue (its events.ts: event types declared once, `as const`): the
 * schema table the registry takes, membership tests a reducer's switch starts from, labels.
 */
import type { CatalystPlugin, EventDefinitions, EventSchemaDefinition } from '../../src-core';

/** A plugin that carries its catalogue on `events` (what `CatalogueOfPlugins` reads for typed emit). */
export type CatalogedPlugin = CatalystPlugin & { readonly events: EventDefinitions };

/** The event types of a catalogue, in declaration order. */
export function eventTypesOf<D extends EventDefinitions>(catalogue: D): (keyof D & string)[] {
  return Object.keys(catalogue);
}

/** The schema definitions `define` registers, one per event type. */
export function schemaTable(catalogue: EventDefinitions, version: string): EventSchemaDefinition[] {
  return Object.entries(catalogue).map(([eventType, d]) => ({
    eventType,
    aggregateType: d.aggregateType,
    version: d.version ?? version,
    payload: d.payload,
    ...(d.description === undefined ? {} : { description: d.description }),
    ...(d.upcasters === undefined ? {} : { upcasters: d.upcasters }),
  }));
}

/** Whether `eventType` is one of the catalogue's (narrows a stored event's type for a reducer's switch). */
export function isEventOf<D extends EventDefinitions>(catalogue: D, eventType: string): eventType is keyof D & string {
  return Object.prototype.hasOwnProperty.call(catalogue, eventType);
}

/** Event type -> display label. */
export function labelsOf<D extends EventDefinitions>(catalogue: D): { readonly [K in keyof D]: string } {
  return Object.fromEntries(Object.entries(catalogue).map(([type, d]) => [type, d.label])) as { [K in keyof D]: string };
}

/** The event types of a catalogue that belong to one aggregate type. */
export type EventTypeOf<D extends EventDefinitions, A extends string> = {
  [K in keyof D & string]: D[K]['aggregateType'] extends A ? K : never;
}[keyof D & string];
