/**
 * `catalyst-events verify` on the live file alone after a real archive (CLI child processes,
 * a 3-day paper session): the archived prefix of an aggregate that stays live is reported as
 * archived, with its count and file, not as a gap; its snapshot is checked over the archive;
 * a real gap still fails, including one that only starts where the archived prefix ends.
 */
import { renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../cli/support/run-bin';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { copy, plainQuery, rawRows } from './support';

const DAY = 86_400_000;

interface Report {
  ok: boolean;
  sequences: { aggregate_type: string; aggregate_id: string; kind: string; detail: string }[];
  snapshots: { checked: number; problems: unknown[] };
  archive?: { archived: { file: string; events: number }[]; archivedPrefixes: number; snapshotsNeedingArchive: number };
}

/** Deletes one event (and its position) past the append-only triggers, by plain SQL: a damaged file. */
function deleteEvent(file: string, aggregateType: string, aggregateId: string, sequence: number): void {
  const script = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute('DROP TRIGGER trg_event_log_no_delete')
db.execute('DROP TRIGGER trg_event_position_no_delete')
rowid = db.execute('SELECT rowid FROM event_log WHERE aggregate_type = ? AND aggregate_id = ? AND sequence_number = ?', (sys.argv[2], sys.argv[3], int(sys.argv[4]))).fetchone()[0]
db.execute('DELETE FROM event_position WHERE log_rowid = ?', (rowid,))
db.execute('DELETE FROM event_log WHERE rowid = ?', (rowid,))
db.commit()
`;
  execFileSync('python3', ['-c', script, file, aggregateType, aggregateId, String(sequence)]);
}

describe('verify on the live file alone after archiving', () => {
  let tmp: ReturnType<typeof tempDir>;
  let live: string;
  let segment: string;
  let moved: number;
  let prefix: { type: string; id: string; upTo: number };

  beforeAll(async () => {
    tmp = tempDir('archive-verify-live-');
    live = tmp.file('live.db');
    segment = tmp.file('archive-2025q1.db');
    writePaperSession(live, 3, 17);
    const rows = rawRows(live);
    const before = rows[rows.length - 1]!.created_at - DAY;
    const result = await runBin(['archive', '--db', live, '--before', String(before), '--to', segment, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as { events: number; aggregates: { upToSnapshot: number } };
    moved = outcome.events;
    expect(moved).toBeGreaterThan(100);
    expect(outcome.aggregates.upToSnapshot).toBeGreaterThan(0);
    const [row] = plainQuery(live, "SELECT aggregate_type || ' ' || aggregate_id || ' ' || up_to_sequence FROM catalyst_archive_prefixes");
    const [type, id, upTo] = row!.split(' ');
    prefix = { type: type!, id: id!, upTo: Number(upTo) };
    expect(prefix.upTo).toBeGreaterThan(1);
  }, 180_000);

  afterAll(() => tmp?.cleanup());

  it('passes, and says how many events went to which file instead of listing gaps', async () => {
    const text = await runBin(['verify', '--db', live]);
    expect(text.code, text.stdout).toBe(0);
    expect(text.stdout).toContain(`archived: ${moved} event(s) moved to ${segment}`);
    expect(text.stdout).toMatch(/archived: 1 aggregate\(s\) start past 1/);
    expect(text.stdout).not.toMatch(/gap\(s\)/);
    const json = JSON.parse((await runBin(['verify', '--db', live, '--json'])).stdout) as Report;
    expect(json.ok).toBe(true);
    expect(json.sequences).toEqual([]);
    expect(json.archive?.archived).toEqual([{ file: segment, events: moved }]);
    expect(json.archive?.archivedPrefixes).toBe(1);
    // The long-lived aggregate's snapshot covers archived events: checked over the archive, and it agrees.
    expect(json.snapshots.checked).toBeGreaterThan(0);
    expect(json.snapshots.problems).toEqual([]);
  }, 60_000);

  it('with the archive file gone, the snapshot it needs is named as not checked, and nothing is reported as a gap', async () => {
    const away = tmp.file('elsewhere.db');
    renameSync(segment, away);
    try {
      const json = JSON.parse((await runBin(['verify', '--db', live, '--json'])).stdout) as Report;
      expect(json.ok).toBe(true);
      expect(json.sequences).toEqual([]);
      expect(json.archive?.snapshotsNeedingArchive).toBe(1);
    } finally {
      renameSync(away, segment);
    }
  }, 60_000);

  it('still fails on a real gap in the middle of an aggregate', async () => {
    const damaged = copy(live, tmp.file('damaged-middle.db'));
    const [row] = plainQuery(
      damaged,
      "SELECT aggregate_type || ' ' || aggregate_id FROM event_log GROUP BY aggregate_type, aggregate_id HAVING COUNT(*) >= 3 AND MIN(sequence_number) = 1 LIMIT 1",
    );
    const [type, id] = row!.split(' ');
    deleteEvent(damaged, type!, id!, 2);
    const result = await runBin(['verify', '--db', damaged, '--json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Report;
    expect(json.sequences).toEqual([expect.objectContaining({ aggregate_type: type, aggregate_id: id, kind: 'gap', detail: 'missing 2' })]);
  }, 60_000);

  it('still fails when the live part of a partly archived aggregate lost its first event', async () => {
    const damaged = copy(live, tmp.file('damaged-prefix.db'));
    deleteEvent(damaged, prefix.type, prefix.id, prefix.upTo + 1);
    const result = await runBin(['verify', '--db', damaged]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${prefix.type}:${prefix.id}  gap: missing 1..${prefix.upTo + 1}`);
  }, 60_000);
});
