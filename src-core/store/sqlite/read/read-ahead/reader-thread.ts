/**
 * The reader thread: reads an aggregate's lean pages ahead of the fold, on its own read-only
 * connection, while the store's thread parses and folds the pages before them. One stream at
 * a time, in one read transaction; at most `ahead` pages wait unread (bounded memory).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { answerer } from '../../../../threads/start-thread';
import { CHUNK, leanChunkSql, leanParams, namedType, prefixOf, type LeanPageQuery } from '../lean-rows';
import type { ReaderInit, ReaderReply, ReaderRequest } from './protocol';

const { file, replies, signal } = workerData as ReaderInit;
const reply = answerer<ReaderReply>(replies, signal);
const db = new Database(file, { readonly: true, fileMustExist: true });
// A stream passes through the file once: a small cache, as the store's readers have.
db.pragma('cache_size = -4096');
db.pragma('query_only = ON');
const pages = new Map<boolean, Database.Statement>();

interface Stream {
  id: number;
  query: LeanPageQuery;
  expected: string;
  credit: number;
}
let stream: Stream | null = null;

function end(): void {
  stream = null;
  if (db.inTransaction) db.exec('COMMIT');
}

/** Sends the stream's next pages while it has credit; ends it after its last page. */
function pump(): void {
  while (stream !== null && stream.credit > 0) {
    const s = stream;
    const withMetadata = s.query.metadataTypes !== null;
    let statement = pages.get(withMetadata);
    if (!statement) pages.set(withMetadata, (statement = db.prepare(leanChunkSql(withMetadata)).pluck()));
    const rows = statement.all(...leanParams(s.query, s.expected)) as string[];
    reply({ kind: 'rows', id: s.id, rows, asked: s.expected });
    s.credit--;
    if (rows.length < CHUNK) return end();
    const last = rows[rows.length - 1]!;
    s.query = { ...s.query, after: prefixOf(last)[1] + 1 };
    s.expected = namedType(last) ?? s.expected;
  }
}

parentPort!.on('message', (request: ReaderRequest) => {
  try {
    if (request.kind === 'stream') {
      end();
      db.exec('BEGIN');
      stream = { id: request.id, query: request.query, expected: request.expected, credit: request.ahead };
    } else if (request.kind === 'more') {
      if (stream?.id !== request.id) return;
      stream.credit++;
    } else {
      if (stream?.id === request.id) end();
      return;
    }
    pump();
  } catch (error) {
    const id = request.id;
    try {
      end();
    } catch {
      // the transaction is gone with the error
    }
    reply({ kind: 'failed', id, message: error instanceof Error ? error.message : String(error) });
  }
});

reply({ kind: 'ready' });
