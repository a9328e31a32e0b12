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
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const written = (): number => Math.max(0, ...[...out.matchAll(/^WROTE (\d+)$/gm)].map((m) => Number(m[1])));
    /** Resolves when the writer reports at least `n` events written (its output is the event). */
    const wroteAtLeast = (n: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (written() >= n) resolve();
          else if (child.exitCode !== null) reject(new Error(`writer exited: ${out} ${err}`));
        };
        child.stdout.on('data', check);
        child.on('exit', check);
        check();
      });
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // The archive starts while the writer is appending, and the writer goes on after it.
    await wroteAtLeast(100);
    const outcome = await archive(live, segment, original[original.length - 1]!.created_at - DAY);
    await wroteAtLeast(written() + 100);
    writeFileSync(stop, '');
    expect(await exited, err).toBe(0);
    const total = (JSON.parse(out.trim().split('\n').pop()!) as { written: number }).written;
    expect(total).toBeGreaterThan(200);
    expect(outcome.events).toBeGreaterThan(100);

    const rows = [...rawRows(live), ...rawRows(segment)];
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(rows.length);
    expect(rows.length).toBe(original.length + total);
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
