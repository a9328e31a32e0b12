/**
 * --pg URL: the same questions answered from the PostgreSQL log the forwarder fills. Logs are
 * forwarded with the real forwarder; each answer must equal the one from the SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runForward } from '../../../src-core/forward/forwarder';
import { postgresAvailability, type PostgresCluster, startPostgres } from '../../support/postgres';
import { tempDir } from '../../support/temp';
import { writeBotLog, writeSeedLog } from './support/logs';
import { runBin } from './support/run-bin';

const pg = postgresAvailability();

/**
 * What a command prints, minus what names the backend: the log's name (a path or a URL),
 * each backend's own integrity check (SQLite's quick_check, PostgreSQL's catalog check), and
 * global positions (each log numbers its own).
 */
const body = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('verify ') && !l.includes('SQLite quick_check') && !l.includes('PostgreSQL catalog check'))
    .join('\n')
    .replace(/"position": \d+/g, '"position": N')
    .replace(/position \d+/g, 'position N');

describe.skipIf(!pg.available)('reading the PostgreSQL log (--pg)', () => {
  let cluster: PostgresCluster;
  let tmp: ReturnType<typeof tempDir>;
  let url: string;
  let bot: string;
  let seed: string;
  let run: string;

  beforeAll(async () => {
    tmp = tempDir('cli-pg-');
    cluster = await startPostgres();
    bot = tmp.file('bot.db');
    seed = tmp.file('seed.db');
    run = writeBotLog(bot);
    writeSeedLog(seed);
    url = await cluster.createDatabase('cli');
    const quiet = { progress: null, log: () => undefined } as const;
    await runForward({ db: bot, to: url, source: 'bot', ...quiet });
    await runForward({ db: seed, to: url, source: 'seed', ...quiet });
  }, 120_000);

  afterAll(() => {
    cluster?.stop();
    tmp?.cleanup();
  });

  it('one source of the shared log answers exactly like its file', async () => {
    const scoped = ['--pg', url, '--pg-source', 'bot'];
    const position = `${run}-pos-0001`;
    const pairs = await Promise.all(
      [
        ['show', 'position', position, '--json'],
        ['show', 'order', `${run}-ord-0002`, '--as-of-seq', '2'],
        ['replay', 'position', position, '--json'],
        ['trace', `${run}-ord-0001`, '--json'],
        ['verify'],
      ].map((args) => Promise.all([runBin([...args, '--db', bot]), runBin([...args, ...scoped])])),
    );
    for (const [fromFile, fromPg] of pairs) {
      expect(fromPg.stderr).toBe('');
      expect(fromPg.code).toBe(fromFile.code);
      expect(body(fromPg.stdout)).toBe(body(fromFile.stdout));
    }
    expect(pairs[4]![1].stdout).toMatch(/^verify postgres:\/\/.* \(source bot\): \d+ events/);
  });

  it('the whole log spans both sources; events and stats read it, one source or all', async () => {
    const [events, stats, seedEvents] = await Promise.all([
      runBin(['events', '--pg', url, '--json']),
      runBin(['stats', '--pg', url, '--json']),
      runBin(['events', '--pg', url, '--pg-source', 'seed', '--type', 'ORDER_REJECTED', '--json']),
    ]);
    const all = JSON.parse(events.stdout) as { aggregate_id: string; position: number }[];
    const botCount = (JSON.parse((await runBin(['stats', '--db', bot, '--json'])).stdout) as { total: number }).total;
    expect(all).toHaveLength(botCount + 8);
    expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => a - b));
    expect(JSON.parse(stats.stdout)).toMatchObject({ backend: 'postgres', total: botCount + 8, corrupt: 0 });
    expect((JSON.parse(seedEvents.stdout) as { aggregate_id: string }[]).map((e) => e.aggregate_id)).toEqual(['ord_002']);
  });
  it('`forward` ships a file through the real bin, resumes from its checkpoint, and reports bad input', async () => {
    const target = await cluster.createDatabase('cli_forward');
    const first = await runBin(['forward', '--db', bot, '--to', target, '--source', 'desk-1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const shipped = JSON.parse(first.stdout) as { source: string; forwarded: number; duplicates: number };
    const fileTotal = (JSON.parse((await runBin(['stats', '--db', bot, '--json'])).stdout) as { total: number }).total;
    expect(shipped).toMatchObject({ source: 'desk-1', forwarded: fileTotal, duplicates: 0 });
    const again = await runBin(['forward', '--db', bot, '--to', target, '--source', 'desk-1']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^forwarded 0 event\(s\) from .* as source 'desk-1'/);
    const counted = JSON.parse((await runBin(['stats', '--pg', target, '--json'])).stdout) as { total: number };
    expect(counted.total).toBe(fileTotal);
    const missing = await runBin(['forward', '--db', bot]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/forward needs --to postgres:\/\//);
  });
});
