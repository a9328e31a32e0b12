import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../examples/paper-bot/summary';
import { runSeedRebuild } from '../../support/seed-rebuild';
import { healthUrl, readLog, ROOT, runBot, startBot, tempDir, waitFor, type BotRun, type Row } from './run-bot';

const summaryOf = (run: BotRun): RunSummary => JSON.parse(run.stdout) as RunSummary;

/** Every built-in plugin's events, by the plugin that writes them. */
const PLUGIN_EVENTS = {
  order: ['SIGNAL_GENERATED', 'ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_PARTIALLY_FILLED', 'ORDER_FILLED', 'ORDER_REJECTED'],
  position: ['POSITION_OPENED', 'POSITION_PRICE_UPDATED', 'POSITION_STOP_LOSS_MODIFIED', 'POSITION_CLOSED'],
  alert: [
    'ALERT_RECEIVED',
    'ALERT_RATE_LIMITED',
    'ALERT_CLASSIFIED',
    'ALERT_SCORED',
    'ALERT_DECISION_MADE',
    'ALERT_SENT_DISCORD',
    'ALERT_TRADE_EXECUTED',
    'ALERT_SKIPPED',
  ],
  risk: ['RISK_CHECK_PASSED', 'RISK_CHECK_FAILED'],
};

describe('paper bot session (real child processes)', () => {
  const dir = tempDir();
  const files = { a: join(dir, 'a.db'), b: join(dir, 'b.db'), c: join(dir, 'c.db') };
  let a: BotRun;
  let b: BotRun;
  let c: BotRun;
  let log: Row[];

  beforeAll(async () => {
    [a, b, c] = await Promise.all([
      runBot(['--db', files.a, '--run-id', 'day1', '--json']),
      runBot(['--db', files.b, '--run-id', 'day1', '--json']),
      runBot(['--db', files.c, '--run-id', 'day1', '--json', '--no-plugins']),
    ]);
    for (const run of [a, b, c]) expect(run.stderr, run.stderr).not.toMatch(/error|failed/i);
    log = readLog(files.a);
  });

  it("records every plugin's events: at least 20 types, fills, a rejection, a stop or target, closes, skips, risk checks", () => {
    expect(a.code).toBe(0);
    const types = new Set(log.map((e) => e.event_type));
    expect(types.size).toBeGreaterThanOrEqual(20);
    for (const list of Object.values(PLUGIN_EVENTS)) for (const type of list) expect(types, type).toContain(type);
    expect(types.has('STOP_LOSS_TRIGGERED') || types.has('TAKE_PROFIT_TRIGGERED')).toBe(true);
    const summary = summaryOf(a);
    expect(summary.events.written).toBe(log.length);
    expect(summary.positions.closed).toBe(log.filter((e) => e.event_type === 'POSITION_CLOSED').length);
    expect(summary.orders.rejected).toBe(log.filter((e) => e.event_type === 'ORDER_REJECTED').length);
  });

  it('numbers every aggregate 1, 2, 3... without gaps, and prefixes every id with the run id', () => {
    const byAggregate = new Map<string, number[]>();
    for (const e of log) {
      const key = `${e.aggregate_type}:${e.aggregate_id}`;
      byAggregate.set(key, [...(byAggregate.get(key) ?? []), e.sequence_number]);
      expect(e.aggregate_id.startsWith('day1-')).toBe(true);
    }
    for (const [key, seqs] of byAggregate) expect(seqs, key).toEqual(seqs.map((_, i) => i + 1));
  });

  it('links alert -> decision -> signal -> order -> fill -> position through causation ids, in one correlation', () => {
    const byId = new Map(log.map((e) => [e.event_id, e]));
    const opened = log.filter((e) => e.event_type === 'POSITION_OPENED');
    expect(opened.length).toBeGreaterThan(0);
    for (const open of opened) {
      const chain: string[] = [];
      let at: Row | undefined = open;
      while (at) {
        chain.unshift(at.event_type);
        expect(at.metadata.correlation_id).toBe(open.metadata.correlation_id);
        at = at.metadata.causation_id ? byId.get(at.metadata.causation_id) : undefined;
      }
      expect(chain[0]).toBe('ALERT_RECEIVED');
      const order = (t: string) => chain.indexOf(t);
      for (const [before, after] of [
        ['ALERT_RECEIVED', 'ALERT_DECISION_MADE'],
        ['ALERT_DECISION_MADE', 'SIGNAL_GENERATED'],
        ['SIGNAL_GENERATED', 'ORDER_SUBMITTED'],
        ['ORDER_SUBMITTED', 'POSITION_OPENED'],
      ] as const) {
        expect(order(before), `${before} in ${chain.join(' > ')}`).toBeGreaterThanOrEqual(0);
        expect(order(before)).toBeLessThan(order(after));
      }
      expect(chain.some((t) => t === 'ORDER_FILLED' || t === 'ORDER_PARTIALLY_FILLED')).toBe(true);
    }
  });

  it('verifies itself: every order and position rebuilt from the log equals the live state', () => {
    const summary = summaryOf(a);
    expect(summary.verification).not.toBeNull();
    expect(summary.verification!.mismatches).toEqual([]);
    expect(summary.verification!.verified).toBe(summary.orders.submitted + summary.positions.opened);
  });

  it('writes the same log for the same seed and run id (all but event ids)', () => {
    const project = (rows: Row[]) =>
      rows.map((e) => [e.event_type, e.aggregate_type, e.aggregate_id, e.sequence_number, e.created_at, e.payload]);
    const other = readLog(files.b);
    expect(other.length).toBe(log.length);
    expect(project(other)).toEqual(project(log));
    expect(other[0]!.event_id).not.toBe(log[0]!.event_id);
  });

  it('trades identically with no plugin loaded, and records nothing', () => {
    expect(c.code).toBe(0);
    const strip = (s: RunSummary) => ({ ...s, db: '', plugins: null, events: null, verification: null });
    expect(strip(summaryOf(c))).toEqual(strip(summaryOf(a)));
    expect(summaryOf(c).events.written).toBe(0);
    expect(readLog(files.c)).toEqual([]);
  });

  it("opens with python3's sqlite3 and the seed guide's rebuild logic", () => {
    const closed = log.find((e) => e.event_type === 'POSITION_CLOSED')!;
    const position = runSeedRebuild(files.a, { positions: [closed.aggregate_id] }, { datetimes: true }).positions[closed.aggregate_id]!;
    expect(position).toMatchObject({
      status: 'closed',
      exit_reason: closed.payload.exit_reason,
      exit_price: closed.payload.exit_price,
      realized_pnl: closed.payload.realized_pnl,
    });
    expect((position.price_history as unknown[]).length).toBe(
      log.filter((e) => e.aggregate_id === closed.aggregate_id && e.event_type === 'POSITION_PRICE_UPDATED').length,
    );
    const filled = log.find((e) => e.event_type === 'ORDER_FILLED')!;
    const order = runSeedRebuild(files.a, { orders: [filled.aggregate_id] }, { datetimes: true }).orders[filled.aggregate_id]!;
    expect(order).toMatchObject({
      status: 'filled',
      filled_quantity: filled.payload.filled_quantity,
      filled_price: filled.payload.filled_price,
    });
    expect((order.status_history as { status: string }[])[0]!.status).toBe('ORDER_SUBMITTED');
  });

  it('shares one file with another run id without touching its aggregates, and refuses a run id already used', async () => {
    const before = log.length;
    // The second bot also loads the third-party portfolio plugin, by path, from its config file.
    const config = join(dir, 'catalyst-events.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: [
          ...['order', 'position', 'alert', 'risk'].map((p) => `catalyst-events/plugins/${p}`),
          join(ROOT, 'examples/portfolio-plugin/index.ts'),
        ],
      }),
    );
    const [again, second] = await Promise.all([
      runBot(['--db', files.a, '--run-id', 'day1', '--json']),
      runBot(['--db', files.b, '--run-id', 'day2', '--seed', '8', '--json', '--config', config]),
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already recorded/);
    expect(readLog(files.a).length).toBe(before);
    expect(second.code).toBe(0);
    const shared = readLog(files.b);
    const day2 = shared.filter((e) => e.aggregate_id.startsWith('day2-'));
    expect(day2.length).toBe(summaryOf(second).events.written);
    expect(shared.length).toBe(before + day2.length);
    expect(summaryOf(second).verification!.mismatches).toEqual([]);
    const portfolio = day2.filter((e) => e.aggregate_type === 'portfolio');
    expect(new Set(portfolio.map((e) => e.event_type))).toEqual(new Set(['PORTFOLIO_SNAPSHOT_CREATED', 'DAILY_PNL_CALCULATED']));
    expect(portfolio.every((e) => e.aggregate_id === 'day2-account')).toBe(true);
    expect(shared.some((e) => e.aggregate_type === 'portfolio' && !e.aggregate_id.startsWith('day2-'))).toBe(false);
  });
});

describe('paper bot: health endpoint and Ctrl-C in buffered mode', () => {
  it('serves /health and /metrics while running, and on SIGINT flushes everything before it exits', async () => {
    const file = join(tempDir(), 'f.db');
    const { child, done } = startBot(['--db', file, '--mode', 'buffered', '--pace', '15', '--health-port', '0', '--json']);
    const url = await healthUrl(child);
    const health = await waitFor(async () => {
      const body = (await (await fetch(`${url}/health`)).json()) as { status: string; minute: number; events: { emittedTotal: number } };
      return body.minute >= 40 && body.events.emittedTotal > 0 ? body : undefined;
    });
    expect(health.status).toBe('running');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^catalyst_events_emitted_total\{run_id="s3",event_type="ALERT_RECEIVED"\} \d+$/m);
    expect(metrics).toMatch(/^paper_bot_running\{run_id="s3"\} 1$/m);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.state).toBe('interrupted');
    expect(summary.events.written).toBeGreaterThan(0);
    expect(readLog(file).length).toBe(summary.events.written);
    expect(summary.verification!.mismatches).toEqual([]);
  });
});
