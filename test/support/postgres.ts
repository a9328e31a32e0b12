import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL 15 cluster for one test file: initdb in a temp dir, a loopback port,
 * trust auth, stopped (immediate) and removed in afterAll and on the process's way out.
 * PostgreSQL refuses to run as root, so as root every binary runs as the `postgres` user.
 */
export const PG_BIN = process.env.CATALYST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresAvailability {
  available: boolean;
  /** Why the tests skip, when they do. */
  reason: string;
}

/**
 * Synchronous so `describe.skipIf` can use it at collection time. Missing binaries skip the
 * tests with a clear message, unless CATALYST_REQUIRE_POSTGRES=1 (CI), where they must run.
 */
export function postgresAvailability(): PostgresAvailability {
  const initdb = join(PG_BIN, 'initdb');
  if (existsSync(initdb) && existsSync(join(PG_BIN, 'pg_ctl'))) return { available: true, reason: '' };
  const reason = `PostgreSQL binaries not found in ${PG_BIN} (apt-get install postgresql, or set CATALYST_PG_BIN)`;
  if (process.env.CATALYST_REQUIRE_POSTGRES === '1') {
    throw new Error(`CATALYST_REQUIRE_POSTGRES=1 but ${reason}`);
  }
  console.warn(`skipping PostgreSQL tests: ${reason}`);
  return { available: false, reason };
}

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  readonly url: string;
  readonly port: number;
  /** A fresh, empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stop the server (immediate), keep the data dir: for outage tests. */
  pause(): void;
  /** Start it again on the same port after pause(). */
  resume(): void;
  /** Stop and remove everything. Idempotent. */
  stop(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Run a PostgreSQL binary, as the postgres user when we are root. */
function pgRun(binary: string, args: string[]): { status: number | null; output: string } {
  const command = asRoot ? 'runuser' : join(PG_BIN, binary);
  const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, binary), ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

export interface StartOptions {
  /** Keep fsync on (benchmarks); tests turn it off, since they kill clients, never the OS. */
  durable?: boolean;
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresCluster> {
  const base = mkdtempSync(join(tmpdir(), 'catalyst-pg-'));
  // The postgres user must traverse the temp dir to reach its own 700 directory inside.
  chmodSync(base, 0o755);
  const home = join(base, 'pg');
  const data = join(home, 'data');
  const logFile = join(home, 'server.log');
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', '-m', '700', home]);
  else execFileSync('install', ['-d', '-m', '700', home]);

  let running = false;
  let removed = false;
  const stopServer = () => {
    if (!running) return;
    running = false;
    pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  const stop = () => {
    stopServer();
    if (!removed) {
      removed = true;
      rmSync(base, { recursive: true, force: true });
    }
    process.off('exit', stop);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  // Crash paths: a worker that exits or is interrupted must not leave a postmaster behind.
  const onSignal = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.on('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const init = pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
    if (init.status !== 0) throw new Error(`initdb failed: ${init.output}`);
    let port = 0;
    const start = () => {
      // fsync off: these clusters never outlive the test run; the tests kill clients, not the OS.
      const speed = options.durable ? '' : ' -c fsync=off -c full_page_writes=off';
      const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${home} -c max_connections=50${speed}`;
      const started = pgRun('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
      if (started.status === 0) running = true;
      return started;
    };
    let last = '';
    for (let attempt = 0; attempt < 3 && !running; attempt++) {
      port = await freePort(); // another process may grab it before the server binds: retry
      const started = start();
      if (!running) last = `${started.output}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;
    }
    if (!running) throw new Error(`pg_ctl start failed: ${last}`);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      port,
      async createDatabase(name: string) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      pause() {
        stopServer();
      },
      resume() {
        if (running) return;
        const started = start();
        if (!running) throw new Error(`pg_ctl restart failed: ${started.output}`);
      },
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}
