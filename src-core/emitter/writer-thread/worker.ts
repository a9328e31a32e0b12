/**
 * The writer thread: owns its own read-write connection to the log and commits the batches
 * the bot's thread sends, one transaction each, in the order they come. Replies go to the
 * `replies` port; the signal wakes a bot thread that waits for one (flush, close, shutdown).
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { PreparedEvent, StoredEvent } from '../../events/types';
import { SqliteEventStore } from '../../store/sqlite/sqlite-event-store';
import { answerer } from '../../threads/start-thread';
import { writeGroups } from './batch-writer';
import { packError, type WriterInit, type WriterReply, type WriterRequest } from './protocol';

/**
 * On Linux a thread has its own nice value: this one yields to the bot's thread when both want
 * the same CPU, so a commit does not hold the bot's next tick back (the bot's thread waited
 * about 60 ms per 2 s of 10k emits/s at equal priority, 25-40 ms with this). Mildly (5, not
 * 19): under load the writer must still keep up, or backpressure lands on the bot. Elsewhere
 * the call would lower the whole process, so it is not made.
 */
const WRITER_NICE = 5;
if (process.platform === 'linux') {
  try {
    setPriority(0, WRITER_NICE);
  } catch {
    // not allowed here: the thread runs at the bot's priority
  }
}

const { options, replies, signal } = workerData as WriterInit;
const reply = answerer<WriterReply>(replies, signal);
let store: SqliteEventStore | null = null;
let pageCap: number | null = null;
/** The parts of the batch being sent, by write id. */
let parts: { id: number; groups: PreparedEvent[][]; count: number } | null = null;

function open(): SqliteEventStore {
  const { maxPageCount: _cap, ...settings } = options;
  return (store ??= SqliteEventStore.open(settings));
}

function failed(id: number, error: unknown, ms = 0): WriterReply {
  return { kind: 'written', id, ms, groups: [], at: new Float64Array(0), held: [], error: packError(error) };
}

/** The whole batch of a write request: its parts, then what it carries. */
function batchOf(request: Extract<WriterRequest, { kind: 'write' }>): PreparedEvent[][] {
  const sent = parts;
  parts = null;
  if (request.parts === 0) return request.groups;
  if (sent?.id !== request.id || sent.count !== request.parts) {
    // Messages arrive in order, so this cannot happen; writing a partial batch would lose events.
    throw new Error(`the writer thread got ${sent?.id === request.id ? sent.count : 0} of ${request.parts} parts of batch ${request.id}`);
  }
  for (const group of request.groups) sent.groups.push(group);
  return sent.groups;
}

function write(id: number, groups: PreparedEvent[][], maxPageCount: number | null): WriterReply {
  const start = performance.now();
  try {
    const store = open();
    // The bot's connection's page cap binds this one too (how a full disk is simulated, and a size limit kept).
    if (maxPageCount !== null && maxPageCount !== pageCap) {
      store.capPages(maxPageCount);
      pageCap = maxPageCount;
    }
  } catch (error) {
    return failed(id, error, performance.now() - start);
  }
  const outcome = writeGroups(store!, groups);
  let events = 0;
  for (const settled of outcome.settled) if (Array.isArray(settled)) events += settled.length;
  const at = new Float64Array(2 * events);
  let n = 0;
  const held: [number, StoredEvent][] = [];
  const packed = outcome.settled.map((settled, g) => {
    if (!Array.isArray(settled)) return packError(settled.discarded);
    const sent = groups[g]!;
    settled.forEach((event, i) => {
      // A fresh insert hands back the payload it was given; an idempotent repeat, the log's copy.
      if (event.payload !== sent[i]!.payload) held.push([n, event]);
      at[2 * n] = event.position;
      at[2 * n + 1] = event.sequence_number;
      n++;
    });
    return null;
  });
  return {
    kind: 'written',
    id,
    ms: outcome.ms,
    groups: packed,
    at,
    held,
    ...(outcome.error !== undefined ? { error: packError(outcome.error) } : {}),
  };
}

parentPort!.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    try {
      store?.close();
    } catch {
      // closing is best effort: every write already answered
    }
    store = null;
    reply({ kind: 'closed', id: request.id });
    replies.close();
    parentPort!.close();
    return;
  }
  if (request.kind === 'part') {
    if (parts?.id !== request.id) parts = { id: request.id, groups: [], count: 0 };
    for (const group of request.groups) parts.groups.push(group);
    parts.count++;
    return;
  }
  let answer: WriterReply;
  try {
    answer = write(request.id, batchOf(request), request.maxPageCount);
  } catch (error) {
    answer = failed(request.id, error);
  }
  reply(answer);
});

// Open now, while the bot starts: its first batch then waits for no thread start-up.
try {
  open();
  reply({ kind: 'ready' });
} catch (error) {
  reply({ kind: 'fatal', error: packError(error) });
}
