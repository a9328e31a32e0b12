import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreWriteError } from '../../../src-core/errors';
import { packError, unpackError } from '../../../src-core/emitter/writer-thread/protocol';
import { writerThreadUrl } from '../../../src-core/emitter/writer-thread/thread-batch-writer';
import { tempDir } from '../../support/temp';
import { harness, widget, type Harness } from './emitter-fixture';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe("the writer thread's entry", () => {
  it('is found beside the built code wherever the bundler put the emitter (dist/, dist/chunks/, dist/bin/chunks/)', () => {
    const tmp = tempDir('catalyst-thread-url-');
    cleanups.push(tmp.cleanup);
    const dist = tmp.file('dist');
    mkdirSync(join(dist, 'bin', 'chunks'), { recursive: true });
    mkdirSync(join(dist, 'chunks'));
    writeFileSync(join(dist, 'writer-thread.mjs'), '');
    const entry = pathToFileURL(join(dist, 'writer-thread.mjs')).href;
    for (const from of ['index.cjs', 'index.mjs', 'chunks/emitter-abc.mjs', 'chunks/emitter-abc.cjs', 'bin/chunks/main-abc.mjs']) {
      expect(writerThreadUrl(pathToFileURL(join(dist, from)).href).href, from).toBe(entry);
    }
  });

  it('from the sources is the bootstrap beside the thread module, and a missing entry is an error that says where it looked', () => {
    expect(writerThreadUrl().href).toMatch(/src-core\/emitter\/writer-thread\/source-entry\.mjs$/);
    const tmp = tempDir('catalyst-thread-url-');
    cleanups.push(tmp.cleanup);
    expect(() => writerThreadUrl(pathToFileURL(tmp.file('index.mjs')).href)).toThrow(/writer-thread\.mjs/);
  });
});

describe('errors crossing the thread', () => {
  it('come back as their own class, with their code, fields and cause', () => {
    const original = new StoreWriteError('database or disk is full', 'SQLITE_FULL', { cause: new Error('disk I/O') });
    const revived = unpackError(structuredClone(packError(original)));
    expect(revived).toBeInstanceOf(StoreWriteError);
    expect(revived).toMatchObject({
      code: 'STORE_WRITE',
      sqliteCode: 'SQLITE_FULL',
      reason: 'database or disk is full',
      name: 'StoreWriteError',
    });
    expect(revived.message).toBe(original.message);
    expect((revived.cause as Error).message).toBe('disk I/O');
    expect(unpackError(packError('not an Error')).message).toBe('not an Error');
  });
});

describe('a store no second connection can share', () => {
  let h: Harness | undefined;
  afterEach(() => h?.cleanup());

  it('is written in the bot thread: a size flush has committed when emit returns', () => {
    // A wrapper exposes no writerOptions(): the emitter cannot open the log a second time.
    h = harness(
      { mode: 'buffered', batchSize: 2, flushIntervalMs: 60_000 },
      { wrapStore: (s) => ({ append: (e) => s.append(e), appendBatch: (e) => s.appendBatch(e) }) },
    );
    h.emitter.emit(widget('a'));
    expect(h.committedRows()).toHaveLength(0);
    h.emitter.emit(widget('b'));
    expect(h.committedRows()).toHaveLength(2);
    expect(h.emitter.metrics()).toMatchObject({ queueDepth: 0, flushes: 1, emittedTotal: 2 });
  });
});
