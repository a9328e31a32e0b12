import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../examples/paper-bot/health/health-server';

/** Issue 18 item 8: the paper bot's /health and /metrics refuse a foreign Host (DNS rebinding). */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('paper bot health server', () => {
  let server: HealthServer;
  beforeAll(async () => {
    server = await startHealthServer(0, {
      status: () => ({ equity: 123456.78, open_orders: ['ord-1'] }),
      metrics: () => 'bot_equity 123456.78\n',
    });
  });
  afterAll(() => server?.close());

  it.each(['/health', '/metrics'])('%s answers its own loopback names', async (path) => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await get(server.port, path, host);
      expect(res.status).toBe(200);
      expect(res.body).toContain('123456.78');
    }
  });

  it.each(['/health', '/metrics'])('%s refuses any other Host, showing nothing', async (path) => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, 'localhost']) {
      const res = await get(server.port, path, host);
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('123456.78');
    }
  });
});
