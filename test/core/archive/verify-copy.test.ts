/**
 * The move's verification: every original compared with its copy before anything leaves the
 * live file. A copy that differs from its original (here an archive file whose own trigger
 * rewrites one kind of row as it lands) stops the move with nothing moved.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { writePaperSession } from '../export/paper-session';
import { tempDir } from '../../support/temp';
import { archive, copy, integrityCheck, rawRows, type RawRow } from './support';

const DAY = 86_400_000;

describe('archive verification of the copy', () => {
  let tmp: ReturnType<typeof tempDir>;
  let pristine: string;
  let original: RawRow[];

  beforeAll(() => {
    tmp = tempDir('archive-verify-copy-');
    pristine = tmp.file('pristine.db');
    writePaperSession(pristine, 3, 13);
    original = rawRows(pristine);
  }, 120_000);

  afterAll(() => tmp?.cleanup());

  it('refuses a copy that differs from its original in one column, moves nothing, and moves once the copy is true', async () => {
    const live = copy(pristine, tmp.file('live.db'));
    const segment = tmp.file('segment.db');
    SqliteEventStore.open({ file: segment }).close();
    const tampered = original.find((r) => r.event_type === 'ORDER_FILLED')!;
    const db = new Database(segment);
    db.exec(`DROP TRIGGER trg_event_log_no_update;
             CREATE TRIGGER tamper AFTER INSERT ON event_log WHEN NEW.event_id = '${tampered.event_id}'
             BEGIN UPDATE event_log SET payload = json_set(payload, '$.filled_price', 0) WHERE rowid = NEW.rowid; END;`);
    db.close();
    const cutoff = original[original.length - 1]!.created_at - DAY;

    await expect(archive(live, segment, cutoff)).rejects.toThrow(/does not match .*equal to their original/);
    expect(rawRows(live)).toEqual(original);
    expect(rawRows(segment)).toEqual([]);
    expect(integrityCheck(live)).toBe('ok');

    const fix = new Database(segment);
    fix.exec('DROP TRIGGER tamper');
    fix.close();
    const outcome = await archive(live, segment, cutoff);
    expect(outcome.events).toBeGreaterThan(0);
    const moved = rawRows(segment);
    expect(moved).toHaveLength(outcome.events);
    expect(moved.find((r) => r.event_id === tampered.event_id)).toEqual(tampered);
    expect(rawRows(live).length + moved.length).toBe(original.length);
  });
});
