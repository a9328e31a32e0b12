import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../errors';

/** A path (relative, absolute or file: URL) rather than a package name. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || specifier.startsWith('file:') || isAbsolute(specifier);
}

/**
 * Imports the module a config entry names. Paths resolve against `baseDir` (the config
 * file's folder). Package names go through the runtime's own `import()` first, which also
 * handles the package self-reference `catalyst-events/plugins/<name>`; if that cannot find
 * the package (a plugin installed beside the app rather than beside this package), it is
 * resolved from `baseDir` and imported by file URL.
 */
export async function importPluginModule(specifier: string, baseDir: string): Promise<Record<string, unknown>> {
  try {
    if (isPathSpecifier(specifier)) {
      const url = specifier.startsWith('file:') ? specifier : pathToFileURL(resolve(baseDir, specifier)).href;
      return (await import(url)) as Record<string, unknown>;
    }
    try {
      return (await import(specifier)) as Record<string, unknown>;
    } catch (error) {
      const file = isNotFound(error) ? resolveFrom(baseDir, specifier) : null;
      if (file === null) throw error;
      return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    }
  } catch (error) {
    throw new PluginError([specifier], `cannot import the plugin module: ${message(error)}`, { cause: error });
  }
}

/**
 * The plugin a module provides: its default export, else a named `plugin` export. A CJS
 * module seen through ESM interop nests its exports under `default`; look there too.
 */
export function pluginExport(mod: Record<string, unknown>, specifier: string): unknown {
  const candidates = [mod.default, mod.plugin];
  const nested = mod.default;
  if (typeof nested === 'object' && nested !== null && !('register' in nested)) {
    candidates.push((nested as Record<string, unknown>).default, (nested as Record<string, unknown>).plugin);
  }
  const found = candidates.find((c) => typeof c === 'object' && c !== null && 'register' in c);
  if (found !== undefined) return found;
  const fallback = candidates.find((c) => c !== undefined);
  if (fallback !== undefined) return fallback; // let validation say what is wrong with it
  throw new PluginError(
    [specifier],
    `the module exports no plugin: expected a default export or a named 'plugin' export (exports: ${Object.keys(mod).join(', ') || 'none'})`,
  );
}

function resolveFrom(baseDir: string, specifier: string): string | null {
  try {
    return createRequire(join(baseDir, 'noop.js')).resolve(specifier);
  } catch {
    return null;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true;
  return /cannot find (module|package)|failed to (load|resolve)/i.test(message(error));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
