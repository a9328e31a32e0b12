/** Bad input gets one line on stderr and exit code 2, never a stack trace (unless --debug). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';
import { pythonSql, writeSeedLog } from './support/logs';
import { fileState, isOneLineError, runBin } from './support/run-bin';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { SCHEMA_VERSION } from '../../../src-core/store/sqlite/schema/features';

describe('bad input', () => {
  let tmp: ReturnType<typeof tempDir>;
  let seed: string;
  let text: string;
  let foreign: string;
  let newer: string;
  let emptyDir: string;

  beforeAll(() => {
    tmp = tempDir('cli-bad-');
    seed = tmp.file('seed.db');
    writeSeedLog(seed);
    text = tmp.file('notes.db');
    writeFileSync(text, 'these are my notes, not a database\n'.repeat(50));
    foreign = tmp.file('other.db');
    pythonSql(foreign, [['CREATE TABLE things (a, b)', []]]);
    emptyDir = tmp.file('empty-dir');
    mkdirSync(emptyDir);
    newer = tmp.file('newer.db');
    SqliteEventStore.open({ file: newer }).close();
    pythonSql(newer, [["UPDATE catalyst_meta SET value = '99' WHERE key = 'schema_version'", []]]);
  });

  afterAll(() => tmp.cleanup());

  it('each case: exit 2 and one line naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['events', '--db', tmp.file('missing.db')], /cannot open .*missing\.db: no such file$/],
      [['events', '--db', text], /cannot open .*notes\.db: not a SQLite database$/],
      [['stats', '--db', foreign], /cannot open .*other\.db: no event_log table: not an event log$/],
      [
        ['events', '--db', newer],
        new RegExp(
          `newer\\.db has schema version 99; this catalyst-events supports up to ${SCHEMA_VERSION}\\. Upgrade catalyst-events to read it\\.$`,
        ),
      ],
      // A directory is read as a log's segments (retention); one with none is bad input.
      [['events', '--db', emptyDir], /cannot open .*empty-dir: a directory with no segment files \(\*\.db\) in it$/],
      [['show', 'ordr', 'ord_001', '--db', seed], /unknown aggregate type 'ordr' \(known: alert, order, position, risk, signal\)$/],
      [['show', 'order', 'ord_999', '--db', seed], /no events for order:ord_999 in /],
      [['replay', 'order', 'ord_999', '--db', seed], /no events for order:ord_999 in /],
      [
        ['trace', 'nothing-like-it', '--db', seed],
        /'nothing-like-it' is not an event id, a correlation id or an aggregate id in this log$/,
      ],
      [['events', '--db', seed, '--limit', 'ten'], /--limit 'ten' must be a whole number$/],
      [['events', '--db', seed, '--since', 'last tuesday'], /--since 'last tuesday' is not a time/],
      [['events', '--db', seed, '--aggregate', 'ord_001'], /--aggregate 'ord_001' must be TYPE:ID/],
      [['events', '--db', seed, '--colour'], /unknown option '--colour'/],
      [['show', 'order', '--db', seed], /missing required argument 'id'/],
      [['show', 'order', 'ord_001', '--db', seed, '--as-of-seq', '0'], /--as-of-seq '0' must be a whole number >= 1$/],
      [
        ['events', '--pg', 'postgres://bot:secret@127.0.0.1:1/catalyst'],
        /^catalyst-events: cannot open postgres:\/\/bot:\*\*\*@127\.0\.0\.1:1\/catalyst: .*ECONNREFUSED/,
      ],
      [['events', '--pg', 'postgres://127.0.0.1:1/x', '--db', seed], /give either --db FILE or --pg URL, not both$/],
      [['stats', '--db', seed, '--pg-source', 'bot-1'], /--pg-source needs --pg URL$/],
      [['snapshot', '--pg', 'postgres://127.0.0.1:1/x'], /unknown option '--pg'/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['stats', '--config', tmp.file('nope.json')], /invalid configuration in .*nope\.json: file not found$/],
    ];
    const results = await Promise.all(cases.map(([args]) => runBin(args, { cwd: tmp.dir })));
    results.forEach((result, i) => {
      const [args, message] = cases[i]!;
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(isOneLineError(result.stderr), `${args.join(' ')}: ${result.stderr}`).toBe(true);
      expect(result.stderr.trimEnd()).toMatch(message);
      expect(result.stdout).toBe('');
    });
  });

  it('--debug adds the stack; read commands never modify a file that is not an event log', async () => {
    const foreignBefore = fileState(foreign);
    const [debug, snapshot] = await Promise.all([runBin(['events', '--db', text, '--debug']), runBin(['snapshot', '--db', foreign])]);
    expect(debug.code).toBe(2);
    expect(debug.stderr.split('\n')[0]).toMatch(/^catalyst-events: cannot open .*notes\.db: not a SQLite database$/);
    expect(debug.stderr).toMatch(/\n\s+at /);
    // A write command refuses a SQLite file that is not an event log before touching it.
    expect(snapshot.code).toBe(2);
    expect(snapshot.stderr).toMatch(/no event_log table: not an event log/);
    expect(fileState(foreign)).toEqual(foreignBefore);
  });

  it('--help and --version exit 0 and print to stdout', async () => {
    const [help, version, eventsHelp] = await Promise.all([runBin(['--help']), runBin(['--version']), runBin(['events', '--help'])]);
    expect(help.code).toBe(0);
    for (const command of ['events', 'show', 'replay', 'trace', 'tail', 'stats', 'verify', 'schema', 'snapshot', 'rebuild-all', 'serve']) {
      expect(help.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    }
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 problems found (verify), 2 bad input.');
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    expect(eventsHelp.stdout).toContain('--after <position>');
  });
});
