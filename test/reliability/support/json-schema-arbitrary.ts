import fc from 'fast-check';
import { z } from 'zod';
import type { RegisteredEventSchema } from '../../../src-core/schema/registered';

type JsonSchema = Record<string, unknown>;

/**
 * Valid values for a payload field, read from the JSON Schema zod generates for it. The
 * same generator works for any plugin's schema (a third party's too), which is the point:
 * the suite walks SchemaRegistry.list(), not a hand-kept list of event types.
 */
export function valueFor(js: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (Array.isArray(js.enum)) return fc.constantFrom(...(js.enum as unknown[]));
  if ('const' in js) return fc.constant(js.const);
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(js[key])) return fc.oneof(...(js[key] as JsonSchema[]).map((s) => valueFor(s, depth)));
  }
  if (Array.isArray(js.type)) return fc.oneof(...(js.type as string[]).map((type) => valueFor({ ...js, type }, depth)));
  switch (js.type) {
    case 'string':
      return fc.string({
        minLength: (js.minLength as number | undefined) ?? 0,
        maxLength: Math.max(12, (js.minLength as number | undefined) ?? 0),
      });
    case 'number':
    case 'integer': {
      const min = (js.minimum ?? js.exclusiveMinimum ?? -1e9) as number;
      const max = (js.maximum ?? js.exclusiveMaximum ?? 1e9) as number;
      if (js.type === 'integer') {
        return fc.integer({
          min: Math.ceil(min) + (js.exclusiveMinimum !== undefined ? 1 : 0),
          max: Math.floor(max) - (js.exclusiveMaximum !== undefined ? 1 : 0),
        });
      }
      return fc.double({
        min,
        max,
        minExcluded: js.exclusiveMinimum !== undefined,
        maxExcluded: js.exclusiveMaximum !== undefined,
        noNaN: true,
        noDefaultInfinity: true,
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(js.items ? valueFor(js.items as JsonSchema, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: (js.minItems as number | undefined) ?? 0,
        maxLength: 3,
      });
    case 'object':
      if (js.properties) return objectFor(js, depth + 1);
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), depth > 2 ? fc.integer() : fc.jsonValue({ maxDepth: 1 }), {
        maxKeys: 3,
      });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectFor(js: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = js.properties as Record<string, JsonSchema>;
  const model = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, valueFor(schema, depth)]));
  return fc.record(model, { requiredKeys: (js.required as string[] | undefined) ?? [] });
}

export interface PayloadModel {
  definition: RegisteredEventSchema;
  shape: Record<string, z.ZodType>;
  required: string[];
  /** Keys some plain JSON value would fail (a field typed `unknown` accepts everything). */
  typedKeys: string[];
  /** A valid payload, declared keys only. */
  valid: fc.Arbitrary<Record<string, unknown>>;
}

const PROBES: unknown[] = ['s', '', 0, 1.5, -1, true, false, null, [], [1], {}, { a: 1 }];

export function payloadModel(definition: RegisteredEventSchema): PayloadModel {
  const shape = (definition.payload as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) throw new Error(`${definition.eventType}: the payload schema is not an object schema`);
  const js = z.toJSONSchema(definition.payload, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const required = (js.required as string[] | undefined) ?? [];
  const typedKeys = Object.keys(shape).filter((key) => PROBES.some((probe) => !shape[key]!.safeParse(probe).success));
  // The generator reads JSON Schema; zod is the judge. A payload it rejects means the
  // generator is wrong, which fast-check reports as a too-strict filter.
  const valid = objectFor(js, 0).filter((p) => definition.payload.safeParse(p).success);
  return { definition, shape, required, typedKeys, valid };
}
