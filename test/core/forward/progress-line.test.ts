import { describe, expect, it } from 'vitest';
import { StoreWriteError } from '../../../src-core';
import { isTransientPgError } from '../../../src-core/forward/pg-sink';
import { formatProgress, ProgressLine } from '../../../src-core/forward/progress-line';
import type { ForwardProgress } from '../../../src-core/forward/types';

const progress = (over: Partial<ForwardProgress> = {}): ForwardProgress => ({
  source: 'bot.db@1',
  forwarded: 5000,
  duplicates: 0,
  deadLettered: 0,
  batches: 5,
  position: 5000,
  head: 20000,
  state: 'shipping',
  ...over,
});

/** A stand-in terminal that records what was written. */
function fakeStream(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (s: string) => writes.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('forward progress line', () => {
  it('says where it is, how far, how fast, and what it is waiting for', () => {
    expect(formatProgress(progress(), 2000)).toBe('forward bot.db@1: position 5,000/20,000 (25%), 5,000 sent, 2,500 ev/s');
    expect(formatProgress(progress({ position: 20000, head: 20000, state: 'following', duplicates: 3 }), 1000)).toBe(
      'forward bot.db@1: position 20,000/20,000 (100%), 5,000 sent, 3 already there, 5,000 ev/s following',
    );
    expect(formatProgress(progress({ head: 0, position: 0, forwarded: 0, state: 'retrying' }), 0)).toMatch(
      /\(100%\).*0 ev\/s waiting for PostgreSQL$/,
    );
  });

  it('draws on a TTY only, overwriting itself, and ends with a newline', () => {
    const tty = fakeStream(true, 40);
    const line = ProgressLine.forStream(tty.stream);
    line.update(progress(), true);
    line.update(progress({ forwarded: 6000, position: 6000 }), true);
    line.done();
    expect(tty.writes).toHaveLength(3);
    expect(tty.writes[0]!.startsWith('\r')).toBe(true);
    expect(tty.writes[0]!.length).toBeLessThanOrEqual(40); // truncated to the terminal width
    expect(tty.writes[2]).toBe('\n');

    const pipe = fakeStream(false);
    const quiet = ProgressLine.forStream(pipe.stream);
    quiet.update(progress(), true);
    quiet.done();
    expect(pipe.writes).toEqual([]);
    expect(() => ProgressLine.forStream(null).update(progress(), true)).not.toThrow();
  });
});

describe('which PostgreSQL failures the forwarder retries', () => {
  const err = (code: string | undefined, message = 'x') => Object.assign(new Error(message), code ? { code } : {});
  it('retries lost connections and a server going away, not data or permission errors', () => {
    for (const e of [
      err('ECONNREFUSED'),
      err('ECONNRESET'),
      err('57P01'),
      err('08006'),
      err('53300'),
      err('40P01'),
      err(undefined, 'Connection terminated unexpectedly'),
    ]) {
      expect(isTransientPgError(e), String((e as { code?: string }).code ?? e.message)).toBe(true);
    }
    for (const e of [
      err('23505'),
      err('42P01'),
      err('28P01'),
      err('3D000'),
      err('SQLITE_CORRUPT'),
      err(undefined, 'boom'),
      new StoreWriteError('sequence clash', '23505'),
    ]) {
      expect(isTransientPgError(e), String((e as { code?: string }).code ?? e.message)).toBe(false);
    }
  });
});
