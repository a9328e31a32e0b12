import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { openViewer, type OpenedViewer } from '../../../src-desktop/main/open-viewer';
import type { DataChange } from '../../../src-desktop/shared/api';
import { tempDir, writeTradeLog } from '../fixtures';

const root = join(import.meta.dirname, '../../..');

/** The bot stand-in as a real process; `send(n)` asks it to append n events and resolves with its new head. */
function startWriter(file: string) {
  const child: ChildProcessWithoutNullStreams = spawn(
    join(root, 'node_modules/.bin/tsx'),
    [join(import.meta.dirname, 'live-writer.ts'), file],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: AsyncIterator<string, undefined> = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`writer exited: ${stderr}`);
    return value;
  };
  return {
    ready: nextLine(),
    async send(n: number): Promise<number> {
      child.stdin.write(`${n}\n`);
      const line = await nextLine();
      return Number(line.replace('wrote ', ''));
    },
    stop(): Promise<void> {
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      });
    },
  };
}

describe('a file another process is writing', () => {
  let file: string;
  let viewer: OpenedViewer;
  let writer: ReturnType<typeof startWriter>;
  beforeAll(async () => {
    file = join(tempDir(), 'live.db');
    writeTradeLog(file, 1);
    writer = startWriter(file);
    expect(await writer.ready).toBe('ready');
    viewer = await openViewer({ file, pollMs: 20, plugins: [] });
  });
  afterAll(async () => {
    await viewer?.close();
    await writer?.stop();
  });

  it('notices new events through data_version and pages exactly the new ones', async () => {
    const { service } = viewer;
    const first = await service.eventsPage({ filter: {}, limit: 50, direction: 'backward' });
    expect(await service.checkForChanges()).toBeNull(); // baseline
    expect(await service.checkForChanges()).toBeNull(); // nothing written: nothing to tell

    const head = await writer.send(5);
    const change = await service.checkForChanges();
    expect(change).toEqual({ head, added: 5 });
    const fresh = await service.eventsPage({ filter: {}, after: first.head, limit: 50, direction: 'forward' });
    expect(fresh.records.map((r) => r.event_type)).toEqual(Array(5).fill('POSITION_PRICE_UPDATED'));
    expect(fresh.head).toBe(head);
  });

  it('pushes a change notice to subscribers while the writer runs', async () => {
    const { service } = viewer;
    const changes: DataChange[] = [];
    let resolveSeen!: () => void;
    const seen = new Promise<void>((resolve) => (resolveSeen = resolve));
    const unsubscribe = service.onDataChanged((change) => {
      changes.push(change);
      if (changes.reduce((n, c) => n + c.added, 0) >= 7) resolveSeen();
    });
    // Let the watcher take its baseline before the writer moves.
    await service.checkForChanges();
    await writer.send(3);
    await writer.send(4);
    await seen;
    unsubscribe();
    expect(changes.reduce((n, c) => n + c.added, 0)).toBe(7);
    const pnl = await service.pnlSeries({ positionId: 'position-live' });
    expect(pnl.points).toHaveLength(12);
    expect(pnl.points.at(-1)!.unrealizedPnl).toBe(12);
  });
});

describe('a large file', () => {
  const N = 200_000;
  let file: string;
  let viewer: OpenedViewer;
  beforeAll(async () => {
    file = join(tempDir(), 'large.db');
    SqliteEventStore.open({ file }).close();
    const db = new Database(file);
    db.pragma('synchronous = OFF');
    db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${N})
      INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number)
      SELECT printf('ev-%08d', i), CASE i % 2 WHEN 0 THEN 'POSITION_PRICE_UPDATED' ELSE 'ORDER_SUBMITTED' END,
             CASE i % 2 WHEN 0 THEN 'position' ELSE 'order' END, 'agg-' || (i % 100),
             json_object('n', i), json_object('source', 'gen', 'correlation_id', 'c-' || (i / 10)),
             1700000000000 + i * 10, (i / 100) + 1
      FROM c`);
    db.close();
    viewer = await openViewer({ file, plugins: [] });
  });
  afterAll(() => viewer?.close());

  it('reads the last page and the first page by keyset, exact at both ends', async () => {
    const { service } = viewer;
    const newest = await service.eventsPage({ filter: {}, limit: 100, direction: 'backward' });
    expect(newest.head).toBe(N);
    expect(newest.records[0]!.event_id).toBe(`ev-${String(N).padStart(8, '0')}`);
    expect(newest.next).toBe(N - 99);
    const oldest = await service.eventsPage({ filter: {}, limit: 100, direction: 'forward' });
    expect(oldest.records.map((r) => r.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // The very end, reached by cursor: three records left, then no next page.
    const tail = await service.eventsPage({ filter: {}, after: N - 3, limit: 100, direction: 'forward' });
    expect(tail.records.map((r) => r.position)).toEqual([N - 2, N - 1, N]);
    expect(tail.next).toBeNull();
    const start = await service.eventsPage({ filter: {}, after: 4, limit: 100, direction: 'backward' });
    expect(start.records.map((r) => r.position)).toEqual([3, 2, 1]);
    expect(start.next).toBeNull();
  });

  it('keyset pages stay exact with a filter near the end', async () => {
    const { service } = viewer;
    const page = await service.eventsPage({ filter: { types: ['ORDER_SUBMITTED'] }, after: N - 10, limit: 100, direction: 'forward' });
    expect(page.records.map((r) => r.position)).toEqual([N - 9, N - 7, N - 5, N - 3, N - 1]);
    const back = await service.eventsPage({ filter: { aggregateId: 'agg-7' }, limit: 3, direction: 'backward' });
    expect(back.records.map((r) => r.position)).toEqual([N - 93, N - 193, N - 293]);
  });
});
