import type { z } from 'zod';
import { ConfigError } from '../../src-core';

/**
 * A plugin's `pluginOptions.<name>` parsed by its schema; a bad option is a ConfigError
 * naming each offending key, so the catalyst refuses to start instead of trading misconfigured.
 */
export function parsePluginOptions<S extends z.ZodType>(name: string, schema: S, options: Readonly<Record<string, unknown>>): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(`pluginOptions.${name}`, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
