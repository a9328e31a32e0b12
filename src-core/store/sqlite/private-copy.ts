import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/**
 * SQLite errors a read-only open can hit although the file itself is sound: a WAL-mode log
 * whose folder (or file system) is read-only cannot get the -shm index every WAL reader
 * needs, and a hot rollback journal (a writer killed mid-transaction) must be rolled back
 * before anyone may read, which a read-only handle may not do.
 */
const NEEDS_COPY = new Set([
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_ROLLBACK',
  'SQLITE_READONLY_RECOVERY',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_CANTOPEN',
]);

export function needsPrivateCopy(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NEEDS_COPY.has(code)) return true;
  }
  return false;
}

export interface PrivateCopy {
  /** The copy to open (read-write, so SQLite can roll its journal back; never migrated). */
  file: string;
  remove(): void;
}

/**
 * Copies the file with its -wal or -journal into a fresh 0700 folder: the reader gets the
 * log as of now, with the killed writer's half-transaction undone in the copy, and the
 * original files stay byte for byte as they were.
 */
export function makePrivateCopy(file: string): PrivateCopy {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-read-'));
  const copy = join(dir, basename(file));
  try {
    for (const suffix of ['-journal', '-wal', '']) {
      // The side files first: a journal copied after the database could be newer than it.
      if (suffix === '' || existsSync(file + suffix)) copyFileSync(file + suffix, copy + suffix);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { file: copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
