/**
 * One log over three files (a live file and two archive segments), through the CLI and the
 * viewer service: the same global order, aggregates whose sequences continue across files,
 * traces across files, and a corrupt row still flagged, with the file it lives in.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CorruptEvent, EventRecord, StoredEvent } from '../../../src-core';
import { openSegmentedLog } from '../../../src-core/segments/open-segments';
import { openViewer } from '../../../src-desktop/main/open-viewer';
import { runBin, startBin } from '../cli/support/run-bin';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { archive, copy, rawRows, type RawRow } from '../archive/support';

const DAY = 86_400_000;

/** A row whose payload does not parse, put into a segment at a position of its own (as damage would). */
function insertCorruptRow(file: string, position: number): string {
  const db = new Database(file);
  try {
    const eventId = `corrupt-${position}`;
    const columns = db.prepare("SELECT name FROM pragma_table_info('event_position')").pluck().all() as string[];
    db.exec('DROP TRIGGER trg_event_log_position');
    const { lastInsertRowid } = db
      .prepare(
        'INSERT INTO event_log (event_id, event_type, aggregate_type, aggregate_id, payload, metadata, created_at, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(eventId, 'ORDER_SUBMITTED', 'order', 'damaged-order', '{"order_id": "damaged', null, 1, 1);
    if (columns.includes('log_rowid'))
      db.prepare('INSERT INTO event_position (position, log_rowid) VALUES (?, ?)').run(position, lastInsertRowid);
    else db.prepare('INSERT INTO event_position (position, event_id) VALUES (?, ?)').run(position, eventId);
    return eventId;
  } finally {
    db.close();
  }
}

describe('three segment files as one log', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let live: string;
  let older: string;
  let newer: string;
  let original: RawRow[];
  let all: StoredEvent[];

  beforeAll(async () => {
    tmp = tempDir('segments-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 3, 9);
    original = rawRows(pristine);
    const end = original[original.length - 1]!.created_at;
    live = copy(pristine, tmp.file('live.db'));
    mkdirSync(tmp.file('archive'));
    older = tmp.file('archive/live-1.db');
    newer = tmp.file('archive/live-2.db');
    await archive(live, older, end - 2 * DAY);
    await archive(live, newer, end - DAY);
    const listed = await runBin(['events', '--db', pristine, '--json']);
    all = JSON.parse(listed.stdout) as StoredEvent[];
  }, 180_000);

  afterAll(() => tmp?.cleanup());

  it('the events are spread over the three files, and aggregates span files', () => {
    const [a, b, c] = [rawRows(live), rawRows(older), rawRows(newer)];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect(c.length).toBeGreaterThan(0);
    expect(a.length + b.length + c.length).toBe(original.length);
    const key = (r: RawRow) => `${r.aggregate_type}:${r.aggregate_id}`;
    const inLive = new Set(a.map(key));
    expect([...new Set([...b, ...c].map(key))].some((k) => inLive.has(k))).toBe(true);
  });

  it('CLI: events, stats, show, replay and trace over --db live --db SEG --db SEG and over a directory', async () => {
    const three = ['--db', live, '--db', older, '--db', newer];
    const dir = ['--db', live, '--db', tmp.file('archive')];
    for (const dbs of [three, dir]) {
      const listed = await runBin(['events', ...dbs, '--json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual(all);
      const paged = await runBin(['events', ...dbs, '--json', '--after', String(all[100]!.position), '--limit', '50']);
      expect(JSON.parse(paged.stdout)).toEqual(all.slice(101, 151));
    }
    const stats = JSON.parse((await runBin(['stats', ...three, '--json'])).stdout) as {
      total: number;
      aggregates: number;
      headPosition: number;
    };
    const pristineStats = JSON.parse((await runBin(['stats', '--db', pristine, '--json'])).stdout) as typeof stats;
    expect(stats.total).toBe(pristineStats.total);
    expect(stats.aggregates).toBe(pristineStats.aggregates);
    expect(stats.headPosition).toBe(pristineStats.headPosition);
    // An aggregate whose events are in more than one file.
    const spanning = original.find((r) => r.aggregate_type === 'risk') ?? original.find((r) => r.aggregate_type === 'position')!;
    for (const command of [
      ['show', spanning.aggregate_type, spanning.aggregate_id, '--json'],
      ['replay', spanning.aggregate_type, spanning.aggregate_id, '--json'],
      ['trace', original.find((r) => r.aggregate_type === 'position')!.aggregate_id, '--json'],
    ]) {
      const [expected, merged] = await Promise.all([runBin([...command, '--db', pristine]), runBin([...command, ...three])]);
      expect(merged.code, command.join(' ')).toBe(0);
      expect(JSON.parse(merged.stdout), command.join(' ')).toEqual(JSON.parse(expected.stdout));
    }
    const verify = await runBin(['verify', ...three, '--json']);
    const report = JSON.parse(verify.stdout) as { ok: boolean; sequences: unknown[]; events: number };
    expect(report.sequences).toEqual([]);
    expect(report.events).toBe(original.length);
    expect(report.ok).toBe(true);
    // Writing commands take one file.
    const refused = await runBin(['snapshot', ...three]);
    expect(refused.code).toBe(2);
  }, 180_000);

  it('serve --db live --db SEG --db SEG: the served viewer reads the three files as one log', async () => {
    const served = startBin(['serve', '--port', '0', '--db', live, '--db', older, '--db', newer]);
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        const poll = setInterval(() => {
          const line = /serving (\d+) files at (\S+)/.exec(served.stdout());
          if (line) {
            clearInterval(poll);
            expect(line[1]).toBe('3');
            resolve(new URL(line[2]!));
          }
        }, 50);
        void served.exited.then((code) => {
          clearInterval(poll);
          reject(new Error(`serve exited ${code}: ${served.stderr()}`));
        });
      });
      const token = url.searchParams.get('token')!;
      const res = await fetch(new URL('/api/query/stats', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Catalyst-Token': token },
        body: '{}',
      });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { ok: boolean; value: { total: number } };
      expect(answer).toMatchObject({ ok: true, value: { total: all.length } });
    } finally {
      served.child.kill('SIGTERM');
      await served.exited;
    }
  });

  it('the viewer service reads the three files as one log', async () => {
    const viewer = await openViewer({ files: [live, older, newer] });
    try {
      const seen: EventRecord[] = [];
      for (let after: number | undefined; ;) {
        const page = await viewer.service.eventsPage({
          filter: {},
          limit: 200,
          direction: 'forward',
          ...(after !== undefined ? { after } : {}),
        });
        seen.push(...page.records);
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(all);
      const position = original.find((r) => r.aggregate_type === 'position')!;
      const single = await openViewer({ file: pristine });
      try {
        const [a, b] = await Promise.all([
          viewer.service.rebuild({ aggregateType: 'position', aggregateId: position.aggregate_id }),
          single.service.rebuild({ aggregateType: 'position', aggregateId: position.aggregate_id }),
        ]);
        expect(a.state).toEqual(b.state);
        expect(a.version).toBe(b.version);
        const correlation = all.find((e) => e.aggregate_id === position.aggregate_id)!.metadata.correlation_id!;
        const [ta, tb] = await Promise.all([
          viewer.service.trace({ correlationId: correlation }),
          single.service.trace({ correlationId: correlation }),
        ]);
        expect(ta.records.map((r) => r.event_id)).toEqual(tb.records.map((r) => r.event_id));
        expect(ta.records.length).toBeGreaterThan(1);
      } finally {
        await single.close();
      }
    } finally {
      await viewer.close();
    }
  }, 120_000);

  it('a corrupt row in a segment is flagged with its file, in the CLI and the viewer', async () => {
    const damaged = copy(older, tmp.file('damaged-1.db'));
    renameSync(tmp.file('damaged-1.db'), join(tmp.dir, 'damaged-1.db'));
    const eventId = insertCorruptRow(damaged, original[original.length - 1]!.position + 1000);
    const log = openSegmentedLog([live, damaged, newer]);
    try {
      const page = await log.corruptRows({ limit: 10 });
      expect(page.records.map((r) => r.event_id)).toEqual([eventId]);
      expect((page.records[0] as CorruptEvent & { file: string }).file).toBe(damaged);
      expect((await log.stats()).corrupt).toBe(1);
    } finally {
      await log.close();
    }
    const viewer = await openViewer({ files: [live, damaged, newer] });
    try {
      const corrupt = await viewer.service.corruptRows({ limit: 10 });
      expect(corrupt.records.map((r) => [r.event_id, (r as CorruptEvent & { file?: string }).file])).toEqual([[eventId, damaged]]);
    } finally {
      await viewer.close();
    }
    const verify = await runBin(['verify', '--db', live, '--db', damaged, '--db', newer, '--json']);
    expect(verify.code).toBe(1);
    expect((JSON.parse(verify.stdout) as { corrupt: { event_id: string }[] }).corrupt.map((c) => c.event_id)).toEqual([eventId]);
  }, 120_000);
});
