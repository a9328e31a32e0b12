/**
 * The checkpointer thread: copies the WAL's frames into the database file on its own
 * connection when the store's thread asks, so a commit never stops for a checkpoint.
 * Blocks on the request word between checkpoints: it has nothing else to do.
 */
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CLOSED, FAILED, IDLE, PASSIVE, RAN, REQUEST, STOP, type CheckpointerInit } from './protocol';

const { file, busyTimeoutMs, control: shared } = workerData as CheckpointerInit;
const control = new Int32Array(shared);

let db: Database.Database | null = null;
try {
  db = new Database(file, { fileMustExist: true });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  for (;;) {
    const request = Atomics.load(control, REQUEST);
    if (request === STOP) break;
    if (request !== PASSIVE) {
      Atomics.wait(control, REQUEST, request);
      continue;
    }
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as [{ busy: number }];
      Atomics.add(control, result.busy ? FAILED : RAN, 1);
    } catch {
      Atomics.add(control, FAILED, 1); // busy past the timeout, or I/O: the store's own interval still bounds the WAL
    }
    Atomics.compareExchange(control, REQUEST, PASSIVE, IDLE);
    Atomics.notify(control, REQUEST);
  }
} finally {
  try {
    db?.close();
  } finally {
    Atomics.store(control, REQUEST, CLOSED);
    Atomics.notify(control, REQUEST);
  }
}
