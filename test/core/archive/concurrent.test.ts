/**
 * Archiving while the bot appends (another process, the same live file): every event ends up
 * in exactly one of the two files, sequences run on across them, both files are sound.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSegmentedLog } from '../../../src-core/segments/open-segments';
import { ROOT, writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { archive, copy, integrityCheck, rawRows, type RawRow } from './support';

const DAY = 86_400_000;

describe('archive while a writer appends', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let original: RawRow[];

  beforeAll(() => {
    tmp = tempDir('archive-concurrent-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 3, 13);
    original = rawRows(pristine);
  }, 120_000);

  afterAll(() => tmp?.cleanup());

  it('loses nothing the writer appended, duplicates nothing, keeps sequences and both files sound', async () => {
    const live = copy(pristine, tmp.file('live.db'));
    const segment = tmp.file('segment.db');
    const stop = tmp.file('stop');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/core/archive/fixtures/append-worker.ts', live, stop], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    while (!out.includes('READY')) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    const outcome = await archive(live, segment, original[original.length - 1]!.created_at - DAY);
    await new Promise((r) => setTimeout(r, 200));
    writeFileSync(stop, '');
    expect(await exited, err).toBe(0);
    const { written } = JSON.parse(out.trim().split('\n').pop()!) as { written: number };
    expect(written).toBeGreaterThan(100);
    expect(outcome.events).toBeGreaterThan(100);

    const rows = [...rawRows(live), ...rawRows(segment)];
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    expect(rows.length).toBe(original.length + written);
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    for (const r of original) expect(byId.get(r.event_id)).toEqual(r);
    // Positions stay unique across the two files (none handed out twice).
    expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length);
    expect(integrityCheck(live)).toBe('ok');
    expect(integrityCheck(segment)).toBe('ok');
    const log = openSegmentedLog([live, segment]);
    try {
      expect((await log.checkSequences()).problems).toEqual([]);
      const writer = await log.readAggregate('writer', 'book');
      expect(writer.map((e) => e.sequence_number)).toEqual(writer.map((_, i) => i + 1));
    } finally {
      await log.close();
    }
  }, 180_000);
});
