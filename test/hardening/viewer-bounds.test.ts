import { request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src-core/events/types';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { openViewer } from '../../src-desktop/main/open-viewer';
import { startServedViewer, type ServedViewer } from '../../src-desktop/serve/start-served-viewer';
import type { ReplayView } from '../../src-desktop/shared/api';
import { tempDir } from '../support/temp';
import { preparedAll } from '../support/prepared-event';
import { meterFolds, meterPlugin } from './support/meter-plugin';

/** Issue 18 item 4 and item 8 (bad percent-encoding, unknown names): every viewer request is bounded. */
const T0 = Date.UTC(2026, 0, 5, 14, 30);
const LONG = 30_000;
const tmp = tempDir('catalyst-hardening-viewer-');
const file = tmp.file('events.db');

function ticks(id: string, count: number, from = 0): NewEvent[] {
  return Array.from({ length: count }, (_, k) => ({
    event_type: 'TICKED',
    aggregate_type: 'meter',
    aggregate_id: id,
    payload: { n: from + k },
    created_at: T0 + from + k,
  }));
}

let served: ServedViewer;
beforeAll(async () => {
  const store = SqliteEventStore.open({ file });
  store.appendBatch(preparedAll(ticks('short', 5)));
  for (let i = 0; i < LONG; i += 2000) store.appendBatch(preparedAll(ticks('long', 2000, i)));
  store.close();
  // A row no correct writer makes: sequence 9e15 right after 1..3 (a hand edit, a foreign writer).
  const db = new Database(file);
  const insert = db.prepare(
    'INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  insert.run('0190a000-0000-7000-8000-00000000f001', 'TICKED', 'meter', 'far', '{"n":1}', null, T0, 1);
  insert.run('0190a000-0000-7000-8000-00000000f002', 'TICKED', 'meter', 'far', '{"n":2}', null, T0 + 1, 9e15);
  db.close();
  served = await startServedViewer({ db: file, port: 0, plugins: [meterPlugin], pollMs: 50 });
});
afterAll(async () => {
  await served?.close();
  tmp.cleanup();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return raw('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json', ...headers });
}

/** A raw request (fetch would normalize a malformed path before sending it). */
function raw(
  method: string,
  path: string,
  body: string | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: served.port, method, path, headers: { 'X-Catalyst-Token': served.token, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

describe('replay is bounded by the events, not by their sequence numbers (item 4)', () => {
  it('a row at sequence 9e15 answers at once: one step per event', { timeout: 20_000 }, async () => {
    const res = await post('/api/query/replay', { aggregateType: 'meter', aggregateId: 'far' });
    expect(res.status).toBe(200);
    const view = (JSON.parse(res.body) as { value: ReplayView }).value;
    expect(view.steps).toHaveLength(2);
    expect(view.steps.map((s) => s.event.sequence_number)).toEqual([1, 9e15]);
  });

  it(`folds a ${LONG}-event aggregate once: the reducer runs once per event`, async () => {
    const viewer = await openViewer({ file, plugins: [meterPlugin] });
    try {
      meterFolds.count = 0;
      const view = await viewer.service.replay({ aggregateType: 'meter', aggregateId: 'long' });
      expect(view.steps).toHaveLength(LONG);
      expect(view.steps.at(-1)!.changes.find((c) => c.path === '$.count')?.after).toBe(LONG);
      // Re-folding from sequence 1 per 500-event window ran it ~LONG²/1000 times.
      expect(meterFolds.count).toBe(LONG);
    } finally {
      await viewer.close();
    }
  });

  it('one long replay never holds up other requests: a query sent after it is answered before it', async () => {
    const finished: string[] = [];
    const replay = post('/api/query/replay', { aggregateType: 'meter', aggregateId: 'long' }).then((r) => (finished.push('replay'), r));
    const info = post('/api/query/info', {}).then((r) => (finished.push('info'), r));
    const [replayRes, infoRes] = await Promise.all([replay, info]);
    expect(replayRes.status).toBe(200);
    expect(infoRes.status).toBe(200);
    expect(finished).toEqual(['info', 'replay']);
  });
});

describe('bad requests are 4xx, never 500 (item 8)', () => {
  it.each(['/%E0%A4%A', '/assets/%ZZ.js', '/%'])('malformed percent-encoding in an asset path %s: 400', async (path) => {
    expect((await raw('GET', path, null)).status).toBe(400);
  });

  it('malformed percent-encoding in a query name: 400 BAD_QUERY', async () => {
    const res = await post('/api/query/%E0%A4%A', {});
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
  });

  it('an unknown aggregate type: 404 UNKNOWN_TYPE, with the known ones in the message', async () => {
    const res = await post('/api/query/rebuild', { aggregateType: 'ufo', aggregateId: 'x' });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_TYPE', message: expect.stringContaining('meter') as unknown },
    });
  });

  it('a malformed cookie is no token (401), not a crash', async () => {
    const res = await raw('GET', '/', null, { 'X-Catalyst-Token': '', Cookie: `catalyst_token_${served.port}=%E0%A4%A` });
    expect(res.status).toBe(401);
  });
});
