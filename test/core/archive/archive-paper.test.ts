/**
 * Archiving a multi-day paper session: the live file shrinks, and over live + archive every
 * aggregate rebuilds to the same state, the trades blotter is the same and `verify` passes.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSegmentedLog } from '../../../src-core/segments/open-segments';
import type { SegmentedLog } from '../../../src-core/segments/segmented-log';
import { loadTrades } from '../../../src-plugins/analytics/analytics';
import { runBin } from '../cli/support/run-bin';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { archive, copy, integrityCheck, rawRows, readerOver, triggers, type RawRow } from './support';
import type { ArchiveOutcome } from '../../../src-core/archive/run-archive';

const DAY = 86_400_000;

describe('archive a multi-day paper session', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let live: string;
  let segment: string;
  let before: number;
  let original: RawRow[];
  let outcome: ArchiveOutcome;
  let sizeBefore: number;

  beforeAll(async () => {
    tmp = tempDir('archive-paper-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 4);
    live = copy(pristine, tmp.file('live.db'));
    segment = tmp.file('archive-2025q1.db');
    original = rawRows(pristine);
    // Everything but the last day goes.
    before = original[original.length - 1]!.created_at - DAY;
    sizeBefore = statSync(live).size;
    outcome = await archive(live, segment, before);
  }, 180_000);

  afterAll(() => tmp?.cleanup());

  it('moves most of the log out, and the live file shrinks', () => {
    expect(outcome.move).not.toBeNull();
    expect(outcome.aggregates.ended).toBeGreaterThan(20);
    expect(outcome.aggregates.upToSnapshot).toBeGreaterThan(0);
    const liveRows = rawRows(live);
    const archived = rawRows(segment);
    expect(archived.length).toBe(outcome.events);
    expect(liveRows.length + archived.length).toBe(original.length);
    const sizeAfter = statSync(live).size;
    console.log(
      `paper session (4 days, ${original.length} events): live file ${sizeBefore} → ${sizeAfter} bytes, archive ${statSync(segment).size} bytes, ${archived.length} events archived`,
    );
    expect(sizeAfter).toBeLessThan(sizeBefore * 0.8);
  });

  it('each row is in exactly one file, byte for byte, with its original position', () => {
    const byId = new Map(original.map((r) => [r.event_id, r]));
    const both = [...rawRows(live), ...rawRows(segment)];
    expect(new Set(both.map((r) => r.event_id)).size).toBe(both.length);
    for (const row of both) expect(row).toEqual(byId.get(row.event_id));
  });

  it('both files pass integrity_check; the append-only triggers are back as they were', () => {
    expect(integrityCheck(live)).toBe('ok');
    expect(integrityCheck(segment)).toBe('ok');
    expect(triggers(live)).toEqual(triggers(pristine));
    expect(triggers(segment)).toEqual(triggers(pristine));
    const db = new Database(live);
    try {
      expect(() => db.prepare('DELETE FROM event_log WHERE rowid = (SELECT MIN(rowid) FROM event_log)').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it('every aggregate rebuilds the same over live + archive, and the live file alone keeps the live ones', async () => {
    const log: SegmentedLog = openSegmentedLog([live, segment]);
    const before_ = await readerOver(pristine);
    const after = await readerOver(log);
    const liveOnly = await readerOver(live);
    try {
      const aggregates = new Map<string, [string, string]>();
      for (const r of original) aggregates.set(`${r.aggregate_type}:${r.aggregate_id}`, [r.aggregate_type, r.aggregate_id]);
      const liveIds = new Set(rawRows(live).map((r) => `${r.aggregate_type}:${r.aggregate_id}`));
      let checked = 0;
      for (const [key, [type, id]] of aggregates) {
        const expected = await before_.rebuilder.rebuild(type, id);
        const merged = await after.rebuilder.rebuild(type, id);
        expect(merged.state, key).toEqual(expected.state);
        expect(merged.version, key).toBe(expected.version);
        expect(merged.anomalies, key).toEqual(expected.anomalies);
        if (liveIds.has(key)) {
          // Still live: the live file alone (snapshot + its events) gives the same state.
          const alone = await liveOnly.rebuilder.rebuild(type, id);
          expect(alone.state, key).toEqual(expected.state);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(50);
      expect(await loadTrades(after.store)).toEqual(await loadTrades(before_.store));
    } finally {
      await before_.done();
      await after.done();
      await liveOnly.done();
      await log.close();
    }
  }, 120_000);

  it('the CLI reads live + archive as the original: events, show, trace, verify', async () => {
    const [all, merged] = await Promise.all([
      runBin(['events', '--db', pristine, '--json']),
      runBin(['events', '--db', live, '--db', segment, '--json']),
    ]);
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toEqual(JSON.parse(all.stdout));
    const position = original.find((r) => r.aggregate_type === 'position')!;
    const [show1, show2] = await Promise.all([
      runBin(['show', 'position', position.aggregate_id, '--db', pristine, '--json']),
      runBin(['show', 'position', position.aggregate_id, '--db', live, '--db', segment, '--json']),
    ]);
    expect(show2.code).toBe(0);
    expect(JSON.parse(show2.stdout)).toEqual(JSON.parse(show1.stdout));
    const [trace1, trace2] = await Promise.all([
      runBin(['trace', position.aggregate_id, '--db', pristine, '--json']),
      runBin(['trace', position.aggregate_id, '--db', live, '--db', segment, '--json']),
    ]);
    expect(trace2.code).toBe(0);
    expect(JSON.parse(trace2.stdout)).toEqual(JSON.parse(trace1.stdout));
    const verify = await runBin(['verify', '--db', live, '--db', segment, '--json']);
    expect(verify.stderr).toBe('');
    expect((JSON.parse(verify.stdout) as { ok: boolean }).ok).toBe(true);
    expect(verify.code).toBe(0);
  }, 120_000);

  it('a dry run says what would move and changes nothing; --recover after a clean run undoes nothing', async () => {
    const again = copy(pristine, tmp.file('dry.db'));
    const bytes = statSync(again).size;
    const dry = await archive(again, tmp.file('dry-archive.db'), before, { dryRun: true });
    expect(dry.events).toBe(outcome.events);
    expect(dry.move).toBeNull();
    expect(rawRows(again).length).toBe(original.length);
    expect(statSync(again).size).toBe(bytes);
    const cli = await runBin(['archive', '--db', live, '--recover', '--json']);
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.stdout) as { recovered: { rolledBack: unknown[] } }).recovered.rolledBack).toEqual([]);
  }, 60_000);
});
