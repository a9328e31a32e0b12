import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../support/temp';
import { runBin } from '../support/run-bin';

describe('trace on a foreign row whose created_at is text', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('prints the row and a sane span, never NaN', async () => {
    const db = tmp.file('foreign.db');
    execFileSync('python3', [
      '-c',
      `
import sqlite3, json, sys
c = sqlite3.connect(sys.argv[1])
c.execute('''CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER,
  UNIQUE(aggregate_type, aggregate_id, sequence_number))''')
meta = json.dumps({"source": "s", "correlation_id": "c-1", "causation_id": None, "user_id": None, "version": "1.0"})
c.execute("INSERT INTO event_log VALUES ('e-1','ALERT_RECEIVED','alert','a-1',?,?,1741000000000,1)", (json.dumps({"alert_id": "a-1"}), meta))
c.execute("INSERT INTO event_log VALUES ('e-2','ALERT_SKIPPED','alert','a-1',?,?,'2025-03-03T10:00:00Z',2)", (json.dumps({"alert_id": "a-1", "reason": "x"}), meta))
c.commit()`,
      db,
    ]);
    const { code, stdout, stderr } = await runBin(['trace', 'c-1', '--db', db]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/NaN/);
    expect(stdout).toMatch(/2 events · 1 aggregate · 2025-03-03 11:06:40/);
    expect(stdout).toMatch(/ALERT_SKIPPED alert:a-1#2/);
  });
});
