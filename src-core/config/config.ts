import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors';

/** The file {@link loadConfig} looks for in its `cwd` when no `file` is given. */
export const CONFIG_FILE_NAME = 'catalyst-events.config.json';

/**
 * The zod schema of `catalyst-events.config.json` (strict: unknown keys are an error). Fills every
 * default; use {@link parseConfig} or {@link loadConfig} rather than parsing with it directly.
 */
export const configSchema = z
  .object({
    /** The editor's JSON Schema for this file (catalyst-events/config.schema.json); not read. */
    $schema: z.string().optional(),
    /** The SQLite file; the embedded default lives beside the bot. */
    db: z.string().min(1).default('./data/events.db'),
    /**
     * SQLite `synchronous` in WAL mode. `normal`: survives a process crash (default).
     * `full`: also survives an OS crash or power loss, bounded by fsync. `off`: neither.
     */
    durability: z.enum(['off', 'normal', 'full']).default('normal'),
    /** How long (ms) a connection waits for another's lock before giving up. */
    busyTimeoutMs: z.number().int().min(0).default(5000),
    emitter: z
      .object({
        /** `sync`: each emit is written before it returns. `buffered`: emits are queued and written in batches. */
        mode: z.enum(['sync', 'buffered']).default('sync'),
        /** Buffered: flush when this many events are queued. */
        batchSize: z.number().int().min(1).default(500),
        /** Buffered: flush at least this often. */
        flushIntervalMs: z.number().int().min(1).default(100),
        /** Buffered: the bound. A full queue flushes synchronously (backpressure) and fails loudly if that fails. */
        queueCapacity: z.number().int().min(1).default(10_000),
        /** Flush on SIGINT/SIGTERM/beforeExit. */
        handleSignals: z.boolean().default(true),
      })
      .prefault({}),
    snapshots: z
      .object({
        /** Take a snapshot every N events of an aggregate (0 disables). */
        every: z.number().int().min(0).default(100),
      })
      .prefault({}),
    /**
     * Plugins by module specifier: a package name, or a path relative to the config file.
     * Absent: whatever the application passes (the CLI's composition root passes the
     * built-ins); the core itself names no plugin.
     */
    plugins: z.array(z.string().min(1)).optional(),
    /** Per-plugin options, by plugin name. */
    pluginOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /**
     * Retention (issue 19): `catalyst-events archive --policy` moves aggregates that ended more
     * than archiveAfterDays ago into a segment per quarter under dir (relative to the config file).
     */
    retention: z
      .object({
        archiveAfterDays: z.number().int().min(1).default(30),
        dir: z.string().min(1).default('./data/archive'),
      })
      .prefault({}),
  })
  .strict();

/** A parsed configuration: every default filled in. */
export type CatalystConfig = z.output<typeof configSchema>;
/** A configuration as written by hand: every key optional. */
export type CatalystConfigInput = z.input<typeof configSchema>;

/** Configs that came out of parseConfig/loadConfig: handing one on is not parsing it again. */
const parsedConfigs = new WeakSet<object>();

/** Whether `config` is parseConfig's or loadConfig's result (not a copy, not raw input). */
export function isParsedConfig(config: unknown): config is CatalystConfig {
  return typeof config === 'object' && config !== null && parsedConfigs.has(config);
}

/**
 * Validates `input` (undefined or null: all defaults) and fills the defaults. Returns an already
 * parsed config as is. `source` names the input in the error.
 * @throws {@link ConfigError} when `input` does not match {@link configSchema}.
 */
export function parseConfig(input: unknown, source = 'config'): CatalystConfig {
  if (isParsedConfig(input)) return input;
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    const reason = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(source, reason);
  }
  parsedConfigs.add(result.data);
  return result.data;
}

/** Where {@link loadConfig} looks, and what overrides the file. */
export interface LoadConfigOptions {
  /** Directory to look for catalyst-events.config.json in (default: cwd). */
  cwd?: string;
  /** Explicit config file path (must exist). */
  file?: string;
  /** Environment to read `CATALYST_EVENTS_*` from (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Highest precedence, e.g. CLI flags. */
  overrides?: CatalystConfigInput;
}

/**
 * Defaults < config file < environment (`CATALYST_EVENTS_DB`, `CATALYST_EVENTS_DURABILITY`,
 * `CATALYST_EVENTS_MODE`) < explicit overrides. Relative paths resolve against the config
 * file's directory (or cwd without one).
 */
export function loadConfig(options: LoadConfigOptions = {}): CatalystConfig & { configFile: string | null } {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = options.file ? resolve(cwd, options.file) : resolve(cwd, CONFIG_FILE_NAME);
  let fromFile: Record<string, unknown> = {};
  let configFile: string | null = null;
  if (existsSync(file)) {
    configFile = file;
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(file, `not valid JSON (${(error as Error).message})`);
    }
  } else if (options.file) {
    throw new ConfigError(file, 'file not found');
  }
  const base = configFile ? dirname(configFile) : cwd;
  const merged: Record<string, unknown> = { ...fromFile };
  if (env.CATALYST_EVENTS_DB) merged.db = env.CATALYST_EVENTS_DB;
  if (env.CATALYST_EVENTS_DURABILITY) merged.durability = env.CATALYST_EVENTS_DURABILITY;
  if (env.CATALYST_EVENTS_MODE) {
    merged.emitter = { ...(merged.emitter as object | undefined), mode: env.CATALYST_EVENTS_MODE };
  }
  const overrides = options.overrides ?? {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    merged[key] = key === 'emitter' || key === 'snapshots' ? { ...(merged[key] as object | undefined), ...(value as object) } : value;
  }
  const config = parseConfig(merged, configFile ?? 'configuration');
  config.db = config.db === ':memory:' ? config.db : resolve(base, config.db);
  if (config.plugins !== undefined) config.plugins = config.plugins.map((p) => (p.startsWith('.') ? resolve(base, p) : p));
  const loaded = { ...config, configFile };
  parsedConfigs.add(loaded);
  return loaded;
}
