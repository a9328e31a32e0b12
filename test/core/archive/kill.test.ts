/**
 * SIGKILL during archive, at each step boundary and at random times, over several trials: no
 * event lost, readers see each once even before anything repairs, and after the live file is
 * opened the way a bot opens it (read-write, no --recover, no second archive run) every event
 * is in exactly one of the two files by plain SQL (python3's sqlite3), both files pass
 * integrity_check and keep their triggers. Killed after the copy committed and before the
 * delete did (the one state with rows in both files on disk), verify names it as an
 * interrupted move, and opening either file for writing repairs it. A bot starting while an
 * archiver is alive between its steps cancels that batch only; the archiver starts another.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSegmentedLog } from '../../../src-core/segments/open-segments';
import { runBin } from '../cli/support/run-bin';
import { ROOT } from '../export/paper-session';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { archive, copy, isLog, plainQuery, plainSql, rawRows, triggers, type RawRow } from './support';

const DAY = 86_400_000;
const WORKER = 'test/core/archive/fixtures/archive-worker.ts';
const OPENER = 'test/core/archive/fixtures/open-worker.ts';

interface Child {
  kill(): Promise<void>;
  lines(): string[];
  waitFor(line: string): Promise<void>;
  waitForPrefix(prefix: string): Promise<string>;
}

function start(args: readonly string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const wake = (): void => waiters.forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), wake()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => (resolve(), wake())));
  const lines = (): string[] => out.split('\n').filter(Boolean);
  /** Resolves on the output event that makes `found` return a line; rejects if the child exits first. */
  const until = (found: () => string | undefined, what: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = found();
        if (line !== undefined) {
          waiters.delete(check);
          resolve(line);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          reject(new Error(`child exited before ${what}: ${out} ${err}`));
        }
      };
      waiters.add(check);
      check();
    });
  return {
    lines,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async waitFor(line: string) {
      await until(() => lines().find((l) => l === line), line);
    },
    waitForPrefix: (prefix: string) => until(() => lines().find((l) => l.startsWith(prefix)), prefix),
  };
}

const startWorker = (live: string, target: string, before: number, stops = '', resume = ''): Child =>
  start([WORKER, live, target, String(before), stops, resume]);

/** A bot starting on the file: createCatalyst read-write in its own process, then close. */
async function openAsBot(file: string): Promise<void> {
  const child = start([OPENER, file]);
  await child.waitFor('OPENED');
  await child.kill();
}

describe('SIGKILL during archive', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let original: RawRow[];
  let before: number;
  let fullRunMs: number;
  /** When the move itself starts (the plan is made) in an uninterrupted run. */
  let moveStartMs: number;

  beforeAll(async () => {
    tmp = tempDir('archive-kill-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 3, 11);
    original = rawRows(pristine);
    before = original[original.length - 1]!.created_at - DAY;
    // One uninterrupted run in a child: how long the archiving itself takes.
    const child = startWorker(copy(pristine, tmp.file('timing.db')), tmp.file('timing-archive.db'), before);
    fullRunMs = Number((await child.waitForPrefix('DONE ')).split(' ')[1]);
    moveStartMs = Number(
      child
        .lines()
        .find((l) => l.startsWith('STAGE planned '))!
        .split(' ')[2],
    );
    await child.kill();
  }, 180_000);

  afterAll(() => tmp?.cleanup());

  /** Every original row, unchanged, in one file or the other (or, before a repair, both). */
  function checkNoneLost(live: string, target: string, allowCopies: boolean): void {
    const byId = new Map(original.map((r) => [r.event_id, r]));
    const rows = [...rawRows(live), ...(existsSync(target) ? rawRows(target) : [])];
    for (const row of rows) expect(row).toEqual(byId.get(row.event_id));
    const ids = new Set(rows.map((r) => r.event_id));
    expect(ids.size).toBe(original.length);
    if (!allowCopies) expect(rows.length).toBe(original.length);
  }

  /** The two files read as one log: each event once, in the original order. */
  async function readOnceAsOneLog(live: string, target: string): Promise<void> {
    if (!existsSync(target) || !isLog(target)) return;
    const log = openSegmentedLog([live, target]);
    try {
      expect((await log.stats()).headPosition).toBe(original[original.length - 1]!.position);
      const seen: string[] = [];
      for (let after: number | undefined; ;) {
        const page = await log.readPage({}, { limit: 500, ...(after !== undefined ? { after } : {}) });
        seen.push(...page.records.map((r) => r.event_id));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(original.map((r) => r.event_id));
    } finally {
      await log.close();
    }
  }

  /** By plain SQL in python3: every original event in exactly one file; both files sound. */
  function checkExactlyOnceOnDisk(live: string, target: string): void {
    const views = plainSql(existsSync(target) ? [live, target] : [live]);
    const all = views.flatMap((v) => v.ids);
    expect(all.length, 'rows in live + archive').toBe(original.length);
    expect([...all].sort()).toEqual(original.map((r) => r.event_id).sort());
    for (const v of views) expect(v.integrity).toBe('ok');
  }

  async function trial(name: string, run: (live: string, target: string) => Promise<void>): Promise<void> {
    const live = copy(pristine, tmp.file(`${name}.db`));
    const target = tmp.file(`${name}-archive.db`);
    await run(live, target);
    // Killed: nothing lost; the two files read as one log show each event once.
    checkNoneLost(live, target, true);
    await readOnceAsOneLog(live, target);
    // The bot starts again. Nothing else runs: that open alone leaves each event in one file.
    await openAsBot(live);
    checkExactlyOnceOnDisk(live, target);
    checkNoneLost(live, target, false);
    expect(triggers(live)).toEqual(triggers(pristine));
    if (existsSync(target) && isLog(target)) expect(triggers(target)).toEqual(triggers(pristine));
    // Archiving again finds nothing to undo and finishes the job.
    const done = await archive(live, target, before);
    expect(done.recovered.rolledBack).toEqual([]);
    checkNoneLost(live, target, false);
    expect(rawRows(target).length).toBeGreaterThan(original.length / 3);
  }

  for (const stage of ['planned', 'intent', 'copied', 'removed']) {
    it(`killed right after step '${stage}' commits; the bot's next open repairs`, async () => {
      await trial(`stage-${stage}`, async (live, target) => {
        const child = startWorker(live, target, before, stage);
        await child.waitFor(`PAUSED ${stage}`);
        await child.kill();
      });
    }, 120_000);
  }

  /** Killed after the copy committed, before the delete: every event live, the moved ones copied into the archive too. */
  async function killedAfterCopy(name: string): Promise<{ live: string; target: string }> {
    const live = copy(pristine, tmp.file(`${name}.db`));
    const target = tmp.file(`${name}-archive.db`);
    const child = startWorker(live, target, before, 'copied');
    await child.waitFor('PAUSED copied');
    await child.kill();
    const views = plainSql([live, target]);
    expect(views[0]!.ids.length).toBe(original.length);
    expect(views[1]!.ids.length).toBeGreaterThan(original.length / 3);
    return { live, target };
  }

  function rawBatch(live: string): string {
    const out = plainQuery(live, "SELECT batch_id || ' ' || state FROM catalyst_archive_log");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/ copying$/);
    return out[0]!.split(' ')[0]!;
  }

  it("killed between the copy and the delete: verify names the interrupted move, the bot's next open undoes it", async () => {
    const { live, target } = await killedAfterCopy('after-copy');
    await readOnceAsOneLog(live, target);
    const verify = await runBin(['verify', '--db', live, '--db', target]);
    const copies = plainSql([target])[0]!.ids.length;
    expect(verify.stdout).toContain(`archive move interrupted or in progress: ${copies} event(s) in both ${live} and ${target}`);
    expect(verify.stdout).toContain(`${original.length} events`);
    expect(verify.stdout).not.toMatch(/\d+ duplicate/);
    expect(verify.stdout).toMatch(/sequences: every aggregate numbered/);
    expect(verify.code, verify.stdout).toBe(0);
    await openAsBot(live);
    checkExactlyOnceOnDisk(live, target);
    expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['rolled_back']);
    const after = await runBin(['verify', '--db', live, '--db', target]);
    expect(after.stdout).not.toMatch(/interrupted/);
    expect(after.code, after.stdout).toBe(0);
    const done = await archive(live, target, before);
    expect(done.recovered.rolledBack).toEqual([]);
    checkNoneLost(live, target, false);
  }, 120_000);

  it('the same state repaired by opening the archive file for writing instead', async () => {
    const { live, target } = await killedAfterCopy('after-copy-archive-side');
    await openAsBot(target);
    checkExactlyOnceOnDisk(live, target);
    expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['rolled_back']);
    expect(triggers(live)).toEqual(triggers(pristine));
    expect(triggers(target)).toEqual(triggers(pristine));
  }, 120_000);

  it("a bot opening while the archive's write lock is held (an archiver at work) leaves the batch to it; the next open repairs", async () => {
    const { live, target } = await killedAfterCopy('archive-busy');
    // Another process holds the archive's write lock until told to let go.
    const holder = spawn(
      'python3',
      [
        '-c',
        "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute('BEGIN IMMEDIATE')\nprint('LOCKED', flush=True)\nsys.stdin.readline()\nc.execute('ROLLBACK')\nprint('RELEASED', flush=True)",
        target,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let said = '';
    const heard = (word: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => void (said.includes(word) && resolve());
        holder.stdout.on('data', (d: Buffer) => ((said += d.toString()), check()));
        check();
      });
    await heard('LOCKED');
    await openAsBot(live);
    // Left as it was: still both files, still 'copying'; the open itself did not fail.
    expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['copying']);
    expect(plainSql([live, target]).flatMap((v) => v.ids).length).toBeGreaterThan(original.length);
    holder.stdin.end('\n');
    await heard('RELEASED');
    await openAsBot(live);
    checkExactlyOnceOnDisk(live, target);
    expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['rolled_back']);
  }, 120_000);

  it('an original gone between the copy and the delete: the delete refuses, the archiver undoes its copy at once, each event stays in one file', async () => {
    const live = copy(pristine, tmp.file('tampered.db'));
    const target = tmp.file('tampered-archive.db');
    const resume = tmp.file('tampered-resume');
    const child = startWorker(live, target, before, 'copied', resume);
    await child.waitFor('PAUSED copied');
    // Past the triggers, by plain SQL: one copied original disappears from the live file.
    const [gone] = plainQuery(target, 'SELECT event_id FROM event_log LIMIT 1');
    execFileSync('python3', [
      '-c',
      "import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\ndb.execute('DROP TRIGGER trg_event_log_no_delete')\ndb.execute('DROP TRIGGER trg_event_position_no_delete')\nrowid = db.execute('SELECT rowid FROM event_log WHERE event_id = ?', (sys.argv[2],)).fetchone()[0]\ndb.execute('DELETE FROM event_position WHERE log_rowid = ?', (rowid,))\ndb.execute('DELETE FROM event_log WHERE rowid = ?', (rowid,))\ndb.commit()",
      live,
      gone!,
    ]);
    writeFileSync(`${resume}-copied`, '');
    await expect(child.waitForPrefix('DONE ')).rejects.toThrow(/holds \d+ of the \d+ events copied .*nothing was removed/);
    // Undone by the archiver itself: no copy left beside a live original, the gone one only in the archive.
    expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['rolled_back']);
    const [liveIds, archiveIds] = plainSql([live, target]).map((v) => v.ids);
    expect(archiveIds).toEqual([gone]);
    expect([...liveIds!, ...archiveIds!].sort()).toEqual(original.map((r) => r.event_id).sort());
  }, 120_000);

  for (const stage of ['intent', 'copied']) {
    it(`a bot starting while an archiver is alive, paused after '${stage}': that batch is undone, the archiver moves under a new one`, async () => {
      const live = copy(pristine, tmp.file(`race-${stage}.db`));
      const target = tmp.file(`race-${stage}-archive.db`);
      const resume = tmp.file(`race-${stage}-resume`);
      const child = startWorker(live, target, before, stage, resume);
      await child.waitFor(`PAUSED ${stage}`);
      const batchId = rawBatch(live);
      await openAsBot(live);
      expect(plainQuery(live, 'SELECT state FROM catalyst_archive_log')).toEqual(['rolled_back']);
      checkExactlyOnceOnDisk(live, target);
      writeFileSync(`${resume}-${stage}`, '');
      const done = await child.waitForPrefix('DONE ');
      expect(done.split(' ')[2]).toBe(`${batchId}.2`);
      await child.kill();
      expect(plainQuery(live, "SELECT batch_id || ' ' || state FROM catalyst_archive_log ORDER BY started_at, batch_id")).toEqual([
        `${batchId} rolled_back`,
        `${batchId}.2 done`,
      ]);
      checkNoneLost(live, target, false);
      checkExactlyOnceOnDisk(live, target);
      expect(rawRows(target).length).toBeGreaterThan(original.length / 3);
    }, 120_000);
  }

  it('killed at random times during the archive, several trials', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      await trial(`random-${i}`, async (live, target) => {
        const child = startWorker(live, target, before);
        await child.waitFor('READY');
        // Mostly inside the move (copy, verify, delete, VACUUM): timed from the plan's end, as load
        // varies; every fourth trial while planning.
        let delay: number;
        if (i % 4 === 0) {
          delay = Math.floor(Math.random() * moveStartMs);
        } else {
          await child.waitForPrefix('STAGE planned');
          delay = Math.floor(Math.random() * (fullRunMs - moveStartMs) * 1.5);
        }
        // The kill's moment is what varies here, not a synchronisation.
        await new Promise((r) => setTimeout(r, delay));
        await child.kill();
        const stages = child
          .lines()
          .filter((l) => l.startsWith('STAGE '))
          .map((l) => l.split(' ')[1]);
        outcomes.push(`${delay}ms:${stages.at(-1) ?? 'none'}`);
      });
    }
    console.log(`full archive run ${fullRunMs} ms, move from ${moveStartMs} ms; kills (delay:last step committed): ${outcomes.join(' ')}`);
  }, 600_000);
});
