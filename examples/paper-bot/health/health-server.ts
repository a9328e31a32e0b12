import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthSource {
  /** The bot's status for /health (JSON). */
  status(): Record<string, unknown>;
  /** Prometheus text exposition for /metrics. */
  metrics(): string;
}

export interface HealthServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A small health endpoint on 127.0.0.1 only: GET /health (JSON) and GET /metrics
 * (Prometheus text format 0.0.4). Read-only; anything else is 404 / 405. Requests must name
 * this loopback address in their Host header: a web page the trader visits could otherwise
 * rebind its own DNS name to 127.0.0.1 and read equity and orders (DNS rebinding).
 */
export async function startHealthServer(port: number, source: HealthSource): Promise<HealthServer> {
  let allowedHosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('forbidden host\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    try {
      if (path === '/health') {
        const body = JSON.stringify(source.status(), null, 2);
        res
          .writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
          .end(req.method === 'HEAD' ? undefined : body);
      } else if (path === '/metrics') {
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' })
          .end(req.method === 'HEAD' ? undefined : source.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /health or /metrics\n');
      }
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`health source failed: ${(error as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${actual}`, `localhost:${actual}`]);
  // Never keeps a finished bot alive on its own.
  server.unref();
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
