/** The error guards know only this package's errors (issue 14): Node's ENOENT is not "bad input". */
import { describe, expect, it } from 'vitest';
import {
  CatalystError,
  ConcurrencyError,
  isCatalystError,
  isConcurrencyError,
  isStoreOpenError,
  StoreOpenError,
} from '../../../src-core/errors';
import { CliUsageError, EXIT, isCliUsageError, toExitReport } from '../../../src-core/cli/errors';

const enoent = (): NodeJS.ErrnoException =>
  Object.assign(new Error("ENOENT: no such file or directory, open 'x.json'"), { code: 'ENOENT', errno: -2 });

describe('error guards', () => {
  it('recognise this package errors, subclasses included', () => {
    const error = new ConcurrencyError('order', 'o-1', 1, 2);
    expect(isCatalystError(error)).toBe(true);
    expect(isConcurrencyError(error)).toBe(true);
    expect(isStoreOpenError(error)).toBe(false);
    expect(isCliUsageError(new CliUsageError('bad'))).toBe(true);
    expect(isStoreOpenError(new StoreOpenError('f.db', 'no such file'))).toBe(true);
  });

  it('refuse any other error or object that merely carries a matching string code', () => {
    expect(isCatalystError(enoent())).toBe(false);
    expect(isCatalystError(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(isConcurrencyError(Object.assign(new Error('fake'), { code: 'CONCURRENCY' }))).toBe(false);
    expect(isConcurrencyError({ code: 'CONCURRENCY', message: 'plain object' })).toBe(false);
    expect(isCliUsageError({ code: 'CLI_USAGE' })).toBe(false);
    expect(isCatalystError(null)).toBe(false);
    expect(isCatalystError('CONCURRENCY')).toBe(false);
  });

  it('recognise an error of another copy of the package (same registered brand)', () => {
    // What a second copy (the CommonJS build, a plugin's own install) defines: its own class, the same brand.
    class OtherCopyError extends Error {
      readonly code = 'CONCURRENCY';
    }
    Object.defineProperty(OtherCopyError.prototype, Symbol.for('catalyst-events.error'), { value: true });
    const foreign = new OtherCopyError('from another copy');
    expect(foreign instanceof CatalystError).toBe(false);
    expect(isCatalystError(foreign)).toBe(true);
    expect(isConcurrencyError(foreign)).toBe(true);
  });
});

describe('exit codes', () => {
  it("Node's ENOENT is an internal error (exit 1), not bad input (exit 2)", () => {
    const report = toExitReport(enoent());
    expect(report.exitCode).toBe(EXIT.problems);
    expect(report.message).toMatch(/^internal error: ENOENT/);
  });

  it('our typed errors are bad input (exit 2), in one line', () => {
    expect(toExitReport(new StoreOpenError('f.db', 'no such file'))).toEqual({
      exitCode: EXIT.usage,
      message: expect.stringContaining('f.db') as string,
    });
    expect(toExitReport(new CliUsageError('--port x\nis not a port')).message).toBe('--port x is not a port');
  });
});
