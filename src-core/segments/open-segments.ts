import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreOpenError } from '../errors';
import { SqliteEventStore } from '../store/sqlite/sqlite-event-store';
import { SegmentedLog } from './segmented-log';

/** File names a directory of segments is read from. */
const SEGMENT_FILE = /\.(db|sqlite|sqlite3)$/i;

/**
 * The files a list of --db values names, in the order given: a file as it is, a directory as
 * the SQLite files directly inside it (sorted by name). A file named twice is read once.
 */
export function expandSegmentPaths(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) throw new StoreOpenError(path, 'no such file');
    if (statSync(path).isDirectory()) {
      const files = readdirSync(path)
        .filter((name) => SEGMENT_FILE.test(name))
        .sort()
        .map((name) => join(path, name))
        .filter((file) => statSync(file).isFile());
      if (files.length === 0) throw new StoreOpenError(path, 'a directory with no segment files (*.db) in it');
      out.push(...files);
    } else {
      out.push(path);
    }
  }
  return [...new Set(out)];
}

/** True when these --db values are one plain file (the single-file path applies). */
export function isSingleFile(paths: readonly string[], cwd: string): boolean {
  if (paths.length !== 1) return false;
  const path = resolve(cwd, paths[0]!);
  return !(existsSync(path) && statSync(path).isDirectory());
}

/**
 * The segment files several --db values (or a directory) name, or null when they are no
 * values or one plain file (the single-file path applies): the one decision every reader and
 * `serve` make.
 */
export function segmentFiles(paths: readonly string[], cwd: string): string[] | null {
  if (paths.length === 0 || isSingleFile(paths, cwd)) return null;
  return expandSegmentPaths(paths, cwd);
}

/**
 * Opens every file read-only (never migrated, never written) and presents them as one log.
 * A file that fails to open closes the ones already opened.
 */
export function openSegmentedLog(files: readonly string[], options: { busyTimeoutMs?: number } = {}): SegmentedLog {
  const stores: SqliteEventStore[] = [];
  try {
    for (const file of files) {
      stores.push(
        SqliteEventStore.open({
          file,
          readOnly: true,
          ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
        }),
      );
    }
  } catch (error) {
    for (const store of stores) store.close();
    throw error;
  }
  // The file with the newest events first: its copy of an event, and its snapshots, win.
  const ordered = stores
    .map((store) => ({ store, head: store.headPositionSync() }))
    .sort((a, b) => b.head - a.head)
    .map(({ store }) => ({ label: store.file, reader: store }));
  return new SegmentedLog(ordered);
}
