import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalyst } from '../../src-core/container/create-catalyst';
import { isCatalystError, isDuplicateEventError, isSchemaVersionError } from '../../src-core/errors';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../support/temp';
import { prepared, preparedAll } from '../support/prepared-event';
import { meterPlugin } from './support/meter-plugin';

/**
 * Issue 18 item 8, the store's and the emitter's share: each behaviour as the issue found it,
 * asserted the way it must be (each was an it.fails until its fix landed).
 */
const root = join(import.meta.dirname, '../..');
const tmp = tempDir('catalyst-hardening-store-');
afterAll(() => tmp.cleanup());
const SEED_DDL = `CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER)`;
const ID = '0190a000-0000-7000-8000-0000000000aa';

async function open(name: string) {
  return createCatalyst({ db: tmp.file(name), emitter: { mode: 'sync', handleSignals: false } }, { plugins: [meterPlugin] });
}

describe('idempotent repeats', () => {
  it('a repeat of an event (same id, same content) notifies listeners once', async () => {
    const catalyst = await open('repeat.db');
    try {
      const seen: string[] = [];
      catalyst.emitter.on('TICKED', (e) => void seen.push(`type:${e.event_id}`));
      catalyst.emitter.onAll((e) => void seen.push(`all:${e.event_id}`));
      const event = { event_id: ID, event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 1 }, created_at: 1000 };
      catalyst.emitter.emit(event);
      catalyst.emitter.emit(event);
      await new Promise((r) => setTimeout(r, 20));
      expect(seen).toEqual([`type:${ID}`, `all:${ID}`]);
    } finally {
      await catalyst.close();
    }
  });

  it('the same id with another created_at or metadata is a DuplicateEventError, never a receipt of values not stored', async () => {
    const catalyst = await open('conflict.db');
    try {
      const event = { event_id: ID, event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 1 }, created_at: 1000 };
      catalyst.emitter.emit(event);
      for (const other of [
        { ...event, created_at: 5000 },
        { ...event, metadata: { source: 'another-bot', correlation_id: 'c-9' } },
      ]) {
        let caught: unknown = null;
        try {
          const receipt = catalyst.emitter.emit(other);
          // Accepted: then the receipt must be what the log holds.
          expect(receipt.created_at).toBe(1000);
          expect(receipt.metadata.source).not.toBe('another-bot');
        } catch (error) {
          caught = error;
        }
        expect(isDuplicateEventError(caught), String(caught)).toBe(true);
      }
    } finally {
      await catalyst.close();
    }
  });
});

describe('a seed file whose sequence numbers are not integers', () => {
  it.each([`'2a'`, '2.5'])('sequence %s: the next event never gets a non-integer sequence', (seq) => {
    const file = tmp.file(`seq-${seq.length}.db`);
    const db = new Database(file);
    db.exec(SEED_DDL);
    db.exec(`INSERT INTO event_log VALUES ('e1', 'TICKED', 'meter', 'm', '{"n":1}', NULL, 1, ${seq})`);
    db.close();
    const store = SqliteEventStore.open({ file });
    try {
      const stored = store.append(prepared({ event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 2 } }));
      expect(Number.isSafeInteger(stored.sequence_number)).toBe(true);
    } catch (error) {
      expect(isCatalystError(error), String(error)).toBe(true); // refused, clearly: also acceptable
      expect(String(error)).toMatch(/not an integer/);
    } finally {
      store.close();
    }
    const check = new Database(file, { readonly: true });
    const odd = check.prepare("SELECT COUNT(*) FROM event_log WHERE typeof(sequence_number) NOT IN ('integer', 'null')").pluck().get();
    check.close();
    expect(odd).toBe(1); // only the seed's own row
  });
});

describe('a schema_version this build does not know', () => {
  it(`'2.0-beta' is refused as newer (SchemaVersionError) and left as it is`, () => {
    const file = tmp.file('beta.db');
    SqliteEventStore.open({ file }).close();
    const db = new Database(file);
    db.prepare("UPDATE catalyst_meta SET value = '2.0-beta' WHERE key = 'schema_version'").run();
    db.close();
    let caught: unknown = null;
    try {
      SqliteEventStore.open({ file }).close();
    } catch (error) {
      caught = error;
    }
    const after = new Database(file, { readonly: true });
    const version = after.prepare("SELECT value FROM catalyst_meta WHERE key = 'schema_version'").pluck().get();
    after.close();
    expect(version).toBe('2.0-beta');
    expect(isSchemaVersionError(caught), String(caught)).toBe(true);
    expect(String(caught)).toContain('schema version 2.0-beta');
    // Read-only opens refuse it too.
    expect(() => SqliteEventStore.open({ file, readOnly: true })).toThrow(/schema version 2\.0-beta/);
  });
});

const asRoot = process.getuid?.() === 0;
/** nobody must reach the checkout's node_modules (a clone under a 0700 mktemp folder cannot). */
const nobodyReadsCheckout =
  asRoot && spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', join(root, 'node_modules/tsx/package.json')]).status === 0;
if (asRoot && !nobodyReadsCheckout)
  console.warn(`[hardening] skipped: user nobody cannot read ${root}/node_modules (a private parent folder)`);
describe.skipIf(!nobodyReadsCheckout)('reading where nothing can be written (as the unprivileged user nobody)', () => {
  function readAsNobody(file: string): { ok: boolean; count?: number; message?: string } {
    const out = execFileSync(
      'runuser',
      ['-u', 'nobody', '--', process.execPath, '--import', 'tsx', join(root, 'test/hardening/fixtures/read-as-nobody.ts'), file],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, HOME: '/tmp' },
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!) as { ok: boolean; count?: number; message?: string };
  }

  it('a WAL-mode log in a read-only folder is read', () => {
    const dir = tmp.file('ro-wal');
    execFileSync('mkdir', ['-m', '755', dir]);
    const file = join(dir, 'events.db');
    const store = SqliteEventStore.open({ file });
    store.appendBatch(
      preparedAll([1, 2, 3].map((n) => ({ event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n } }))),
    );
    store.close(); // a clean close: no -wal, no -shm left to reuse
    chmodSync(dir, 0o555);
    chmodSync(tmp.dir, 0o755);
    try {
      const before = readFileSync(file);
      expect(readAsNobody(file)).toMatchObject({ ok: true, count: 3 });
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('a hot rollback journal left by a killed seed writer: reads serve the committed events, the files untouched', () => {
    const dir = tmp.file('hot');
    execFileSync('mkdir', ['-m', '755', dir]);
    const file = join(dir, 'seed.db');
    // The seed's writer (python sqlite3, DELETE journal) killed mid-transaction after spilling pages.
    const killed = spawnSync('python3', ['-c', HOT_JOURNAL_PY, file], { encoding: 'utf8' });
    expect(killed.signal).toBe('SIGKILL');
    const journal = readFileSync(`${file}-journal`);
    const before = readFileSync(file);
    chmodSync(tmp.dir, 0o755);
    const result = readAsNobody(file);
    expect(result).toMatchObject({ ok: true, count: 50 });
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readFileSync(`${file}-journal`).equals(journal)).toBe(true);
    rmSync(`${file}-journal`);
  });
});

const HOT_JOURNAL_PY = String.raw`
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute('PRAGMA journal_mode=DELETE')
db.execute("""CREATE TABLE event_log (event_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL,
  aggregate_id TEXT NOT NULL, payload TEXT NOT NULL, metadata TEXT, created_at INTEGER NOT NULL, sequence_number INTEGER,
  UNIQUE(aggregate_type, aggregate_id, sequence_number))""")
for i in range(50):
    db.execute("INSERT INTO event_log VALUES (?,?,?,?,?,?,?,?)", ('e%d' % i, 'TICKED', 'meter', 'm', '{"n":%d}' % i, None, 1000 + i, i + 1))
db.execute('PRAGMA cache_size=1')
db.execute('BEGIN IMMEDIATE')
for i in range(50, 3000):
    db.execute("INSERT INTO event_log VALUES (?,?,?,?,?,?,?,?)", ('e%d' % i, 'TICKED', 'meter', 'm', '{"n":"%s"}' % ('y' * 500), None, 1000 + i, i + 1))
os.kill(os.getpid(), signal.SIGKILL)
`;
