import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { DataChange, EventQuery, ExportFormat, ViewerQueries } from '../shared/api';
import { QueryArgumentError } from '../main/errors';
import { exportArgsSchema } from '../main/query-schemas';
import { dispatchQuery, toWireError } from '../main/query-router';
import { SECURITY_HEADERS } from '../main/security';

/** What the server needs of the viewer service. */
export interface ServedViewer extends ViewerQueries {
  exportChunks(filter: EventQuery, format: ExportFormat, progress?: { count: number }): AsyncIterable<string>;
  onDataChanged(listener: (change: DataChange) => void): () => void;
}

export interface ViewerServerOptions {
  viewer: ServedViewer;
  /** The built renderer (index.html, http-bridge.js, assets/). */
  assetsDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Loopback only, by design. */
  host?: '127.0.0.1';
  /** Default: 32 random bytes, hex. */
  token?: string;
}

export interface ViewerServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

function sameSecret(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** decodeURIComponent, or null for malformed percent-encoding (a 400, never a 500). */
function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decoded(rest.join('='));
  }
  return null;
}

/**
 * The HTTP status for a query's error: the caller's mistake (bad arguments, an unknown query
 * or aggregate type, a write attempt) is 4xx; work past its budget is 503; only our own
 * failures are 500.
 */
export function statusForError(code: string): number {
  switch (code) {
    case 'BAD_QUERY':
    case 'VALIDATION':
      return 400;
    case 'UNKNOWN_TYPE':
      return 404;
    case 'READ_ONLY':
    case 'UNSUPPORTED':
      return 403;
    case 'TOO_MUCH_WORK':
    case 'SQLITE_BUSY': // a writer holds the file: try again shortly
      return 503;
    default:
      return 500;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

class BodyTooLargeError extends QueryArgumentError {
  constructor() {
    super('request', [`body larger than ${MAX_BODY} bytes`]);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        // Answer at once; the connection closes after the answer (Connection: close).
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The served mode: the same renderer and the same queries as the Electron app, over HTTP, on
 * loopback only, read-only, behind a random token. The token arrives once in the URL; the
 * page then holds it in an HttpOnly, SameSite=Strict cookie (for its assets) and sends it in
 * a header (for queries). Requests for another Host are refused (DNS rebinding).
 */
export async function startViewerServer(options: ViewerServerOptions): Promise<ViewerServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(32).toString('hex');
  const assetsDir = normalize(options.assetsDir);
  const indexHtml = readFileSync(join(assetsDir, 'index.html'), 'utf8');
  let cookieName = 'catalyst_token';
  let allowedHosts = new Set<string>();
  const streams = new Set<ServerResponse>();

  const authorized = (req: IncomingMessage, url: URL): boolean =>
    sameSecret(url.searchParams.get('token'), token) ||
    sameSecret(req.headers['x-catalyst-token'] as string | undefined, token) ||
    sameSecret(cookie(req, cookieName), token);

  const serveIndex = (res: ServerResponse): void => {
    // The bridge (the served mode's preload) runs before the app; the token rides in a meta tag.
    // Module scripts run in document order: the bridge goes before the app's first script.
    const inject = `<meta name="catalyst-token" content="${token}">\n    <script type="module" src="./http-bridge.js"></script>\n    `;
    const at = indexHtml.indexOf('<script');
    const page = at >= 0 ? indexHtml.slice(0, at) + inject + indexHtml.slice(at) : indexHtml.replace('</head>', `${inject}</head>`);
    send(res, 200, page, TYPES['.html'], {
      'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
  };

  const serveAsset = (res: ServerResponse, pathname: string): void => {
    const name = decoded(pathname);
    if (name === null) return send(res, 400, 'malformed percent-encoding in the path');
    const file = normalize(join(assetsDir, name));
    if (!file.startsWith(assetsDir + sep)) return send(res, 404, 'not found');
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) return send(res, 404, 'not found');
      size = stat.size;
    } catch {
      return send(res, 404, 'not found');
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(size),
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const serveQuery = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (req.method !== 'POST') return send(res, 405, 'POST only', undefined, { Allow: 'POST' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(res, 415, 'application/json only');
    }
    let args: unknown;
    try {
      const body = await readBody(req);
      args = body.length === 0 ? undefined : (JSON.parse(body) as unknown);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return send(res, 413, JSON.stringify({ ok: false, error: toWireError(error) }), TYPES['.json'], { Connection: 'close' });
      }
      const wire = error instanceof SyntaxError ? { code: 'BAD_QUERY', message: `body is not JSON: ${error.message}` } : toWireError(error);
      return send(res, 400, JSON.stringify({ ok: false, error: wire }), TYPES['.json']);
    }
    const name = decoded(method);
    if (name === null) {
      const wire = { code: 'BAD_QUERY', message: 'malformed percent-encoding in the query name' };
      return send(res, 400, JSON.stringify({ ok: false, error: wire }), TYPES['.json']);
    }
    const envelope = await dispatchQuery(options.viewer, name, args);
    send(res, envelope.ok ? 200 : statusForError(envelope.error.code), JSON.stringify(envelope), TYPES['.json']);
  };

  const serveExport = async (res: ServerResponse, url: URL): Promise<void> => {
    let filter: unknown;
    try {
      filter = JSON.parse(url.searchParams.get('filter') ?? '{}');
    } catch {
      return send(res, 400, 'filter is not JSON');
    }
    const parsed = exportArgsSchema.safeParse({ filter, format: url.searchParams.get('format') });
    if (!parsed.success) return send(res, 400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { format } = parsed.data;
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Content-Disposition': `attachment; filename="catalyst-events.${format === 'csv' ? 'csv' : 'ndjson'}"`,
      'Cache-Control': 'no-store',
    });
    try {
      for await (const chunk of options.viewer.exportChunks(parsed.data.filter, format)) {
        if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        if (res.destroyed) return;
      }
    } finally {
      res.end();
    }
  };

  const serveChanges = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const unsubscribe = options.viewer.onDataChanged((change) => res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 403, 'forbidden host');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!authorized(req, url)) return send(res, 401, 'a valid token is required: open the URL printed by `catalyst-events serve`');
    const path = url.pathname;
    if (path.startsWith('/api/query/')) return serveQuery(req, res, path.slice('/api/query/'.length));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only', undefined, { Allow: 'GET' });
    if (path === '/api/changes') return serveChanges(req, res);
    if (path === '/api/export') return serveExport(res, url);
    if (path === '/' || path === '/index.html') return serveIndex(res);
    if (path.startsWith('/api/')) return send(res, 404, 'not found');
    return serveAsset(res, path);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ ok: false, error: toWireError(error) }), TYPES['.json']);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Cookies ignore ports: one name per port keeps two viewers on one machine apart.
  cookieName = `catalyst_token_${port}`;
  allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
