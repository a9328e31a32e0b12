/**
 * `catalyst-events archive` through the real bin: --before/--to, --dry-run, --policy from the
 * config's retention block, and bad input.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/support/run-bin';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { copy, rawRows } from './support';

describe('catalyst-events archive', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let all: string;

  beforeAll(async () => {
    tmp = tempDir('archive-cli-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 2, 21);
    all = (await runBin(['events', '--db', pristine, '--json'])).stdout;
  }, 120_000);

  afterAll(() => tmp?.cleanup());

  it('--dry-run says what would move and leaves the file as it was', async () => {
    const live = copy(pristine, tmp.file('dry.db'));
    const size = statSync(live).size;
    const result = await runBin([
      'archive',
      '--db',
      live,
      '--before',
      '2099-01-01',
      '--to',
      tmp.file('dry-archive.db'),
      '--dry-run',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const outcome = JSON.parse(result.stdout) as { dryRun: boolean; events: number; move: unknown };
    expect(outcome.dryRun).toBe(true);
    expect(outcome.events).toBeGreaterThan(50);
    expect(outcome.move).toBeNull();
    expect(existsSync(tmp.file('dry-archive.db'))).toBe(false);
    expect(statSync(live).size).toBe(size);
    expect(rawRows(live).length).toBe(rawRows(pristine).length);
  });

  it('--before TIME --to FILE moves, and the two files read as the original', async () => {
    const live = copy(pristine, tmp.file('live.db'));
    const segment = tmp.file('seg.db');
    const result = await runBin(['archive', '--db', live, '--before', '2099-01-01', '--to', segment]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^moved \d+ event\(s\)/);
    expect(rawRows(segment).length).toBeGreaterThan(50);
    const merged = await runBin(['events', '--db', live, '--db', segment, '--json']);
    expect(merged.stdout).toBe(all);
  }, 60_000);

  it('--policy: archiveAfterDays and dir from the config, one segment per quarter', async () => {
    const dir = tmp.file('bot');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    copy(pristine, join(dir, 'events.db'));
    writeFileSync(
      join(dir, 'catalyst-events.config.json'),
      JSON.stringify({ db: './events.db', retention: { archiveAfterDays: 30, dir: './archive' } }),
    );
    const result = await runBin(['archive', '--policy', '--json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as { archiveFile: string; before: number; events: number };
    expect(outcome.events).toBeGreaterThan(50);
    expect(Date.now() - outcome.before).toBeGreaterThanOrEqual(30 * 86_400_000 - 60_000);
    const quarter = Math.floor(new Date(outcome.before).getUTCMonth() / 3) + 1;
    expect(readdirSync(join(dir, 'archive'))).toContain(`events-${new Date(outcome.before).getUTCFullYear()}q${quarter}.db`);
    const merged = await runBin(['events', '--db', 'events.db', '--db', 'archive', '--json'], { cwd: dir });
    expect(merged.stdout).toBe(all);
  }, 60_000);

  it('bad input is one line and exit 2', async () => {
    const live = copy(pristine, tmp.file('bad.db'));
    for (const args of [
      ['archive', '--db', live],
      ['archive', '--db', live, '--before', 'yesterday', '--to', tmp.file('x.db')],
      ['archive', '--db', live, '--before', '2099-01-01', '--to', live],
      ['archive', '--db', live, '--db', pristine, '--before', '2099-01-01', '--to', tmp.file('y.db')],
    ]) {
      const result = await runBin(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 60_000);
});
