import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PLUGINS } from '../../../src-desktop/main/builtin-plugins';
import { runServe } from '../../../src-desktop/serve/serve-command';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { startServedViewer, type ServedViewer } from '../../../src-desktop/serve/start-served-viewer';
import type { EventsPage, ViewerInfo } from '../../../src-desktop/shared/api';
import { tempDir, writeTradeLog } from '../fixtures';
import { prepareEvent } from '../../../src-core/emitter/prepare';

/** A raw request, for what fetch will not send (another Host, a path with dot segments). */
function raw(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('served mode', () => {
  let file: string;
  let served: ServedViewer;
  let base: string;
  beforeAll(async () => {
    file = join(tempDir(), 'events.db');
    writeTradeLog(file, 2);
    served = await startServedViewer({ db: file, port: 0, plugins: [], pollMs: 20 });
    base = `http://127.0.0.1:${served.port}`;
  });
  afterAll(() => served?.close());

  const query = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/query/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': served.token, ...headers },
      body: JSON.stringify(body),
    });

  it('prints a loopback URL with a long random token', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(served.port).toBeGreaterThan(0);
  });

  it.each(['/', '/index.html', '/http-bridge.js', '/api/changes', '/api/export?format=csv'])(
    'refuses %s without the token',
    async (path) => {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(401);
      expect(await res.text()).not.toContain('<html');
    },
  );

  it('refuses a wrong token, and a query without one', async () => {
    expect((await fetch(`${base}/?token=${'0'.repeat(64)}`)).status).toBe(401);
    const res = await fetch(`${base}/api/query/info`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('refuses requests for another Host (DNS rebinding)', async () => {
    const res = await raw(served.port, `/?token=${served.token}`, { Host: 'evil.example:80' });
    expect(res.status).toBe(403);
  });

  it('serves the page with the bridge before the app, the token in a meta tag, a strict cookie and the CSP', async () => {
    const res = await fetch(served.url);
    expect(res.status).toBe(200);
    const html = await res.text();
    const bridge = html.indexOf('src="./http-bridge.js"');
    const app = html.indexOf('src="./assets/');
    expect(bridge).toBeGreaterThan(0);
    expect(bridge).toBeLessThan(app);
    expect(html).toContain(`<meta name="catalyst-token" content="${served.token}">`);
    expect(res.headers.get('set-cookie')).toBe(`catalyst_token_${served.port}=${served.token}; HttpOnly; SameSite=Strict; Path=/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // The cookie then opens the page's own assets.
    const js = await fetch(`${base}/http-bridge.js`, { headers: { Cookie: `catalyst_token_${served.port}=${served.token}` } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json']) {
      const res = await raw(served.port, path, { 'X-Catalyst-Token': served.token });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('"name": "catalyst-events"');
    }
  });

  it('answers queries with the same envelopes as IPC, validating arguments', async () => {
    const info = (await (await query('info', {})).json()) as { ok: true; value: ViewerInfo };
    expect(info.value).toMatchObject({ fileName: 'events.db', mode: 'served', readOnly: true, canOpenFiles: false });
    const page = (await (await query('eventsPage', { filter: { types: ['POSITION_CLOSED'] }, limit: 10 })).json()) as {
      ok: true;
      value: EventsPage;
    };
    expect(page.value.records.map((r) => r.aggregate_id)).toEqual(['position-2', 'position-1']);
    const bad = await query('eventsPage', { limit: 10_000 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
    const unknown = await query('deleteEverything', {});
    expect(await unknown.json()).toMatchObject({
      ok: false,
      error: { code: 'BAD_QUERY', message: expect.stringContaining('unknown query') as unknown },
    });
  });

  it('takes queries only as JSON POSTs of bounded size', async () => {
    expect((await fetch(`${base}/api/query/info`, { headers: { 'X-Catalyst-Token': served.token } })).status).toBe(405);
    expect((await query('info', {}, { 'Content-Type': 'text/plain' })).status).toBe(415);
    const notJson = await fetch(`${base}/api/query/info`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': served.token },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    const huge = await query('eventsPage', { filter: { text: 'x'.repeat(100_000) }, limit: 1 });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
  });

  it('streams exports of the current filter as downloads', async () => {
    const auth = { 'X-Catalyst-Token': served.token };
    const csv = await fetch(`${base}/api/export?format=csv&filter=${encodeURIComponent(JSON.stringify({ aggregateType: 'signal' }))}`, {
      headers: auth,
    });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="catalyst-events.csv"');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('SIGNAL_GENERATED');
    const nd = await fetch(`${base}/api/export?format=ndjson&filter=${encodeURIComponent('{"types":["ORDER_FILLED"]}')}`, {
      headers: auth,
    });
    expect((await nd.text()).trim().split('\n')).toHaveLength(2);
    expect((await fetch(`${base}/api/export?format=xml`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${base}/api/export?format=csv&filter=${encodeURIComponent('{"drop":1}')}`, { headers: auth })).status).toBe(400);
  });

  it('pushes change notices over server-sent events while another connection writes', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/changes`, { headers: { 'X-Catalyst-Token': served.token }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const first = await reader.read(); // ": connected": the subscription is in place
    text += decoder.decode(first.value);
    // Give the watcher one baseline tick before the write, then write from another connection.
    await new Promise((r) => setTimeout(r, 60));
    const writer = SqliteEventStore.open({ file });
    writer.append(
      prepareEvent({ event_type: 'ALERT_RECEIVED', aggregate_type: 'alert', aggregate_id: 'late', payload: { alert_id: 'late' } }),
    );
    writer.close();
    while (!text.includes('event: change')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    controller.abort();
    const data = /event: change\ndata: (.*)\n/.exec(text)?.[1];
    expect(JSON.parse(data!)).toEqual({ head: 35, added: 1 });
  });
});

describe('runServe (what `catalyst-events serve` calls)', () => {
  it('serves a file with the given plugins and closes cleanly', async () => {
    const file = join(tempDir(), 'events.db');
    writeTradeLog(file, 1);
    const handle = await runServe({ db: file, port: 0, plugins: BUILTIN_PLUGINS });
    try {
      const url = new URL(handle.url);
      expect(url.hostname).toBe('127.0.0.1');
      const res = await fetch(new URL('/api/query/info', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': url.searchParams.get('token')! },
        body: '{}',
      });
      const info = (await res.json()) as { value: ViewerInfo };
      expect(info.value.plugins.map((p) => p.name).sort()).toEqual(['alert', 'order', 'position', 'risk']);
      expect(info.value.reducerTypes).toEqual(expect.arrayContaining(['order', 'position', 'signal', 'alert', 'risk']));
    } finally {
      await handle.close();
    }
    await expect(fetch(handle.url)).rejects.toThrow();
  });

  it('refuses any host but 127.0.0.1', async () => {
    await expect(runServe({ db: 'x.db', port: 0, host: '0.0.0.0' as '127.0.0.1' })).rejects.toThrow(/127\.0\.0\.1/);
  });
});
