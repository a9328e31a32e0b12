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
  define: fn('define').optional(),
  attach: fn('attach').optional(),
  register: fn('register').optional(),
});

/** Which of the two forms the plugin takes; listed with the other problems (a zod refine would wait for them). */
function formIssues(candidate: object): string[] {
  const has = (key: string) => (candidate as Record<string, unknown>)[key] !== undefined;
  if (!has('register') && !has('define') && !has('attach')) {
    return ['register: needs define/attach (core API 1.2) or register (1.0/1.1), each a function'];
  }
  return [];
}

/**
 * Checks a candidate plugin and returns it as is (not a parsed copy: `define`, `attach` and
 * `register` keep their `this`). `source` names it in the error when it has no usable name yet.
 */
export function validatePlugin(candidate: unknown, source: string): CatalystPlugin {
  if (typeof candidate !== 'object' || candidate === null) {
    throw new PluginError([source], `is not a plugin object (got ${candidate === null ? 'null' : typeof candidate})`);
  }
  const result = pluginSchema.safeParse(candidate);
  const form = formIssues(candidate);
  if (!result.success || form.length > 0) {
    const name = (candidate as { name?: unknown }).name;
    const label = typeof name === 'string' && name.length > 0 ? name : source;
    const issues = result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const reasons = [...issues, ...form].join('; ');
    throw new PluginError([label], `invalid plugin definition${label === source ? '' : ` (from ${source})`}: ${reasons}`);
  }
  return candidate as CatalystPlugin;
}
