import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src-core/store/sqlite/sqlite-event-store';
import { redactSecrets, redactUrl } from '../../src-core/store/postgres/connection';
import { tempDir } from '../support/temp';
import { prepared } from '../support/prepared-event';

/** Issue 18 item 6: a password anywhere in a connection URL never reaches a message. */
const root = join(import.meta.dirname, '../..');
const tmp = tempDir('catalyst-hardening-redact-');
afterAll(() => tmp.cleanup());

/** The CLI as users run it (the composition root's bin). */
function cli(args: string[]): { status: number | null; output: string } {
  const bin = existsSync(join(root, 'src-desktop/cli/bin.mjs')) ? 'src-desktop/cli/bin.mjs' : 'src-core/cli/bin.mjs';
  const result = spawnSync(process.execPath, [join(root, bin), ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('redactUrl and redactSecrets', () => {
  it.each([
    ['postgres://u@host/db?password=S3CRET', 'postgres://u@host/db?password=***'],
    ['postgres://u:S3CRET@host/db', 'postgres://u:***@host/db'],
    ['postgres://u@host/db?sslmode=require&sslpassword=S3CRET', 'postgres://u@host/db?sslmode=require&sslpassword=***'],
    ['postgres://u@host/db#password=S3CRET', 'postgres://u@host/db#password=***'],
    ['host=h user=u password=S3CRET dbname=d', 'host=h user=u password=*** dbname=d'],
    ['postgres://u:S3C@RET@host/db', 'postgres://u:***@host/db', 'S3C@RET'],
  ])('%s', (url, redacted, secret = 'S3CRET') => {
    expect(redactUrl(url)).toBe(redacted);
    const message = redactSecrets(`could not connect to ${url}: auth with ${secret} failed`, url);
    expect(message).not.toContain(secret);
    expect(message).toContain('***');
  });
});

describe('every CLI message', () => {
  const file = tmp.file('events.db');
  const store = SqliteEventStore.open({ file });
  store.append(prepared({ event_type: 'TICKED', aggregate_type: 'meter', aggregate_id: 'm', payload: { n: 1 } }));
  store.close();
  const dead = '127.0.0.1:1'; // nothing listens: every command fails after parsing the URL

  it.each([
    ['forward --to, password in the query', ['forward', '--db', file, '--to', `postgres://u@${dead}/db?password=SECRET-Q`], 'SECRET-Q'],
    ['forward --to, password in the authority', ['forward', '--db', file, '--to', `postgres://u:SECRET-A@${dead}/db`], 'SECRET-A'],
    ['forward --to, not a postgres URL', ['forward', '--db', file, '--to', `mysql://u@h/db?password=SECRET-M`], 'SECRET-M'],
    ['events --pg, password in the query', ['events', '--pg', `postgres://u@${dead}/db?password=SECRET-P`], 'SECRET-P'],
    ['events --pg, sslpassword', ['events', '--pg', `postgres://u@${dead}/db?sslpassword=SECRET-S`], 'SECRET-S'],
  ])('%s: fails without printing the secret', (_label, args, secret) => {
    const { status, output } = cli(args);
    expect(status).not.toBe(0);
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(secret);
    expect(output).toContain('***');
  });
});
