import semver from 'semver';
import { z } from 'zod';
import { PluginError } from '../errors';
import type { CatalystPlugin } from './types';

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message: `${what} must be a function` });

/** What a plugin object must look like. Extra keys are allowed (a plugin may carry its decorators). */
export const pluginSchema = z.object({
  name: z
    .string({ message: 'name must be a string' })
    .min(1, { message: 'name must not be empty' })
    .regex(/^\S+$/, { message: 'name must not contain whitespace' }),
  version: z
    .string({ message: 'version must be a string' })
    .refine((v) => semver.valid(v) !== null, { message: 'version must be a semver version, e.g. "1.0.0"' }),
  dependencies: z
    .array(z.string().min(1), { message: 'dependencies must be an array of plugin names' })
    .refine((deps) => new Set(deps).size === deps.length, { message: 'dependencies must not repeat a name' })
    .optional(),
  coreApi: z
    .string({ message: 'coreApi must be a semver range string, e.g. "^1.0.0"' })
    .refine((v) => semver.validRange(v) !== null, { message: 'coreApi must be a semver range, e.g. "^1.0.0"' }),
  register: fn('register'),
});

/**
 * Checks a candidate plugin and returns it as is (not a parsed copy: `register` keeps its
 * `this`). `source` names it in the error when it has no usable name yet.
 */
export function validatePlugin(candidate: unknown, source: string): CatalystPlugin {
  if (typeof candidate !== 'object' || candidate === null) {
    throw new PluginError([source], `is not a plugin object (got ${candidate === null ? 'null' : typeof candidate})`);
  }
  const result = pluginSchema.safeParse(candidate);
  if (!result.success) {
    const name = (candidate as { name?: unknown }).name;
    const label = typeof name === 'string' && name.length > 0 ? name : source;
    const reasons = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PluginError([label], `invalid plugin definition${label === source ? '' : ` (from ${source})`}: ${reasons}`);
  }
  return candidate as CatalystPlugin;
}
