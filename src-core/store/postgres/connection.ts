import pg from 'pg';

const INT8_OID = 20;

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
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** The URL with any password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
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
