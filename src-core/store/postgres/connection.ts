import type pg from 'pg';
import { StoreOpenError } from '../../errors';

const INT8_OID = 20;

/** The pg module once loaded: the type parser below runs only on connections made from it. */
let loaded: typeof pg | undefined;

/**
 * Loads `pg`, an optional peer dependency: a bot that never forwards nor reads PostgreSQL does
 * not install it, so nothing imports it statically. `where` is the (redacted) URL for the error.
 */
export async function loadPg(where: string): Promise<typeof pg> {
  if (loaded) return loaded;
  try {
    const imported = (await import('pg')) as typeof pg | { default: typeof pg };
    loaded = 'default' in imported ? imported.default : imported;
    return loaded;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new StoreOpenError(where, 'PostgreSQL needs the optional package pg: run `npm install pg` in your project', { cause: error });
    }
    throw error;
  }
}

/**
 * BIGINT columns as JS numbers instead of pg's default strings, per connection (never through
 * the process-wide pg.types registry). Positions, times and sequences stay below 2^53; a value
 * that does not is refused rather than silently rounded.
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`BIGINT ${value} exceeds Number.MAX_SAFE_INTEGER`);
        return n;
      };
    }
    return loaded!.types.getTypeParser(oid, format) as (value: string | Buffer) => unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Query keys libpq and pg read secrets from (password, sslpassword, sslkey's passphrase...). */
const SECRET_KEY = /pass|secret|token|key/i;
const MASK = '***';

/**
 * The URL with every secret masked, for messages and logs: the password in the authority, any
 * secret-looking query parameter (`?password=`, `sslpassword=`...), and in a string that does
 * not parse as a URL, `user:pass@` and `password=...` wherever they appear.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_KEY.test(key)) parsed.searchParams.set(key, MASK);
    }
    // URLSearchParams re-encodes the mask; keep it readable. The loose pass covers the fragment.
    return redactLoosely(parsed.toString().replaceAll(encodeURIComponent(MASK), MASK));
  } catch {
    return redactLoosely(url);
  }
}

function redactLoosely(text: string): string {
  return text
    .replace(/\/\/([^:/@\s]*):[^@\s]*@/g, `//$1:${MASK}@`)
    .replace(/\b([\w-]*(?:pass|secret|token|key)[\w-]*)\s*=\s*('[^']*'|[^\s&;]+)/gi, `$1=${MASK}`);
}

/** Every secret value the URL carries (decoded), longest first. */
function secretsOf(url: string): string[] {
  const found = new Set<string>();
  try {
    const parsed = new URL(url);
    if (parsed.password) found.add(parsed.password).add(decodeURIComponent(parsed.password));
    for (const [key, value] of parsed.searchParams) if (SECRET_KEY.test(key) && value) found.add(value);
  } catch {
    for (const m of url.matchAll(/\/\/[^:/@\s]*:([^@\s]+)@/g)) found.add(m[1]!);
  }
  for (const m of url.matchAll(/(?:pass|secret|token|key)[\w-]*\s*=\s*([^\s&;']+)/gi)) found.add(m[1]!);
  return [...found].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * `text` (an error message, say) with the URL's secrets masked wherever they appear: drivers
 * sometimes echo the connection string, or part of it, back.
 */
export function redactSecrets(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  for (const secret of secretsOf(url)) out = out.split(secret).join(MASK);
  return redactLoosely(out);
}

export interface PgConnectOptions {
  /** Sessions that refuse writes (default_transaction_read_only): the query side. */
  readOnly?: boolean;
  /** Pool size; the query side serves a few concurrent viewer requests. */
  max?: number;
  application?: string;
  connectionTimeoutMs?: number;
}

export function poolConfig(url: string, options: PgConnectOptions = {}): pg.PoolConfig {
  return {
    connectionString: url,
    types: pgTypes,
    max: options.max ?? 4,
    application_name: options.application ?? 'catalyst-events',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    // Idle clients must not keep a finished CLI process alive.
    allowExitOnIdle: true,
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  };
}
