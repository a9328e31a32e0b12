import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecentFiles } from '../../../src-desktop/main/recent-files';
import { ViewerSession } from '../../../src-desktop/main/viewer-session';
import type { DataChange } from '../../../src-desktop/shared/api';
import { tempDir, writeTradeLog } from '../fixtures';

const sessions: ViewerSession[] = [];
afterEach(async () => {
  while (sessions.length) await sessions.pop()!.close();
});

function makeSession(dir: string, answers: { pick?: string | null; save?: string | null } = {}) {
  const notices: DataChange[] = [];
  const session = new ViewerSession({
    plugins: [],
    recent: new RecentFiles(join(dir, 'user-data', 'recent-files.json')),
    notify: (c) => notices.push(c),
    pickFile: () => Promise.resolve(answers.pick ?? null),
    pickSavePath: () => Promise.resolve(answers.save ?? null),
  });
  sessions.push(session);
  return { session, notices };
}

describe('the Electron main process session (no electron needed)', () => {
  it('answers NO_FILE until a log is open, then queries it', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    writeTradeLog(file, 1);
    const { session } = makeSession(dir);
    expect(await session.query('info', undefined)).toMatchObject({ ok: false, error: { code: 'NO_FILE' } });
    const info = await session.open(file);
    expect(info).toMatchObject({ fileName: 'a.db', mode: 'electron', canOpenFiles: true });
    const page = await session.query('eventsPage', { limit: 3 });
    expect(page.ok && (page.value as { records: unknown[] }).records).toHaveLength(3);
    expect(await session.query('eventsPage', { limit: 'all' })).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
  });

  it('opens through the dialog, remembers recent files, and reopens only those', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    writeTradeLog(a, 1);
    writeTradeLog(b, 2);
    const { session } = makeSession(dir, { pick: b });
    expect(await session.openFile()).toMatchObject({ ok: true, value: { fileName: 'b.db' } });
    await session.open(a);
    const recent = await session.recentFiles();
    expect(recent.ok && recent.value.map((r) => r.path)).toEqual([a, b]);
    const reopened = await session.openRecent({ path: b });
    expect(reopened.ok && reopened.value.head).toBe(34);
    expect(await session.openRecent({ path: '/etc/hosts' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_QUERY', message: expect.stringContaining('not a recent file') as unknown },
    });
    const stored = JSON.parse(readFileSync(join(dir, 'user-data', 'recent-files.json'), 'utf8')) as { path: string }[];
    expect(stored.map((r) => r.path)).toEqual([b, a]);
  });

  it('a cancelled dialog opens nothing and keeps the current log', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.db');
    writeTradeLog(a, 1);
    const { session } = makeSession(dir, { pick: null });
    await session.open(a);
    expect(await session.openFile()).toEqual({ ok: true, value: null });
    expect(await session.query('info', {})).toMatchObject({ ok: true, value: { fileName: 'a.db' } });
  });

  it('a file that is not an event log is refused with a typed error', async () => {
    const dir = tempDir();
    const { session } = makeSession(dir, { pick: join(dir, 'missing.db') });
    expect(await session.openFile()).toMatchObject({ ok: false, error: { code: 'STORE_OPEN' } });
  });

  it('exports the filter to the file chosen in the save dialog', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    writeTradeLog(file, 2);
    const target = join(dir, 'out.ndjson');
    const { session } = makeSession(dir, { save: target });
    await session.open(file);
    const outcome = await session.exportEvents({ filter: { types: ['ORDER_FILLED'] }, format: 'ndjson' });
    expect(outcome).toEqual({ ok: true, value: { started: true, path: target, count: 2 } });
    const lines = readFileSync(target, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { event_type: string }).event_type)).toEqual(['ORDER_FILLED', 'ORDER_FILLED']);
    expect(await session.exportEvents({ filter: {}, format: 'xml' })).toMatchObject({ ok: false, error: { code: 'BAD_QUERY' } });
  });

  it('a cancelled save writes nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.db');
    writeTradeLog(file, 1);
    const { session } = makeSession(dir, { save: null });
    await session.open(file);
    expect(await session.exportEvents({ filter: {}, format: 'csv' })).toEqual({ ok: true, value: { started: false } });
    expect(existsSync(join(dir, 'catalyst-events.csv'))).toBe(false);
  });
});

describe('recent files', () => {
  it('keeps the newest first, without duplicates, bounded', () => {
    const dir = tempDir();
    const recent = new RecentFiles(join(dir, 'r.json'), 3);
    for (const [i, name] of ['a', 'b', 'c', 'a', 'd'].entries()) recent.add(join(dir, name), i);
    expect(recent.list().map((r) => r.path)).toEqual(['d', 'a', 'c'].map((n) => join(dir, n)));
    expect(recent.has(join(dir, 'b'))).toBe(false);
  });

  it('a damaged list reads as empty', () => {
    const dir = tempDir();
    const file = join(dir, 'r.json');
    writeFileSync(file, '{nope');
    expect(new RecentFiles(file).list()).toEqual([]);
  });
});
