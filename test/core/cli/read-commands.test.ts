/**
 * The read commands, driven through the real bin, on a log the paper bot wrote with the real
 * plugins. Every command must leave the file byte-identical.
 */
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../src-core/events/types';
import { SqliteEventStore } from '../../../src-core/store/sqlite/sqlite-event-store';
import { tempDir } from '../../support/temp';
import { writeBotLog } from './support/logs';
import { type FileState, fileState, runBin } from './support/run-bin';

/** An event as `--json` prints it: the stored envelope. */
type EventJson = StoredEvent;

describe('read commands on a paper-bot log', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  let run: string;
  let before: FileState;
  let all: EventJson[];

  beforeAll(async () => {
    tmp = tempDir('cli-read-');
    db = tmp.file('bot.db');
    run = writeBotLog(db);
    before = fileState(db);
    const listed = await runBin(['events', '--db', db, '--json']);
    expect(listed.code).toBe(0);
    all = JSON.parse(listed.stdout) as EventJson[];
  });

  afterAll(() => {
    // Everything below only read: the main file's bytes are unchanged.
    expect(fileState(db).sha256).toBe(before.sha256);
    tmp.cleanup();
  });

  it('events --json is every event with the seed columns, payload, metadata and the global position', () => {
    const store = SqliteEventStore.open({ file: db, readOnly: true });
    try {
      expect(all.length).toBe(store.headPositionSync());
    } finally {
      store.close();
    }
    expect(all.length).toBeGreaterThan(100);
    const first = all[0]!;
    expect(Object.keys(first)).toEqual([
      'position',
      'event_id',
      'event_type',
      'aggregate_type',
      'aggregate_id',
      'sequence_number',
      'created_at',
      'payload',
      'metadata',
    ]);
    expect(typeof first.created_at).toBe('number');
    expect(all.map((e) => e.position)).toEqual([...all.map((e) => e.position)].sort((a, b) => a - b));
  });

  it('filters, keyset paging and NDJSON agree with the full list', async () => {
    const order = all.find((e) => e.event_type === 'ORDER_FILLED')!;
    const orderEvents = all.filter((e) => e.aggregate_type === 'order' && e.aggregate_id === order.aggregate_id);
    const correlation = order.metadata.correlation_id!;
    const middle = all[Math.floor(all.length / 2)]!;
    const [byType, byAggregate, byCorrelation, page1, page2, window, ndjson] = await Promise.all([
      runBin(['events', '--db', db, '--json', '--type', 'ORDER_FILLED,ORDER_REJECTED']),
      runBin(['events', '--db', db, '--json', '--aggregate', `order:${order.aggregate_id}`]),
      runBin(['events', '--db', db, '--ndjson', '--correlation', correlation]),
      runBin(['events', '--db', db, '--json', '--limit', '7']),
      runBin(['events', '--db', db, '--json', '--limit', '7', '--after', String(all[6]!.position)]),
      runBin(['events', '--db', db, '--json', '--since', new Date(middle.created_at).toISOString(), '--until', String(middle.created_at)]),
      runBin(['events', '--db', db, '--ndjson', '--limit', '0']),
    ]);
    const parse = (text: string) => JSON.parse(text) as EventJson[];
    expect(parse(byType.stdout).map((e) => e.event_id)).toEqual(
      all.filter((e) => e.event_type === 'ORDER_FILLED' || e.event_type === 'ORDER_REJECTED').map((e) => e.event_id),
    );
    expect(parse(byAggregate.stdout).map((e) => e.sequence_number)).toEqual(orderEvents.map((_, i) => i + 1));
    const correlated = byCorrelation.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventJson);
    expect(correlated.map((e) => e.event_id)).toEqual(all.filter((e) => e.metadata.correlation_id === correlation).map((e) => e.event_id));
    expect(parse(page1.stdout).map((e) => e.event_id)).toEqual(all.slice(0, 7).map((e) => e.event_id));
    expect(parse(page2.stdout).map((e) => e.event_id)).toEqual(all.slice(7, 14).map((e) => e.event_id));
    expect(parse(window.stdout).map((e) => e.event_id)).toEqual(
      all.filter((e) => e.created_at === middle.created_at).map((e) => e.event_id),
    );
    expect(ndjson.stdout.trim().split('\n').length).toBe(all.length);
  });

  it('the default table fits 80 columns, shows 100 rows and says how to page on', async () => {
    const table = await runBin(['events', '--db', db]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^POS\s+TIME UTC\s+EVENT\s+AGGREGATE#SEQ\s+PAYLOAD$/);
    expect(lines.some((l) => l.includes('── 2025-03-03 ──'))).toBe(true);
    expect(lines.filter((l) => /^\s*\d+\s+\d\d:\d\d:\d\d\.\d{3}\s/.test(l))).toHaveLength(100);
    expect(lines.at(-1)).toBe(`100 events; more after position ${all[99]!.position}: --after ${all[99]!.position}`);
    expect(table.stdout).not.toContain('\x1b['); // a pipe gets no colour
  });

  it('show rebuilds a position now and as of an earlier sequence; --json is the state object', async () => {
    const position = `${run}-pos-0001`;
    const [now, early, json, earlyJson] = await Promise.all([
      runBin(['show', 'position', position, '--db', db]),
      runBin(['show', 'position', position, '--db', db, '--as-of-seq', '1']),
      runBin(['show', 'position', position, '--db', db, '--json']),
      runBin(['show', 'position', position, '--db', db, '--json', '--as-of-seq', '1']),
    ]);
    expect(now.code).toBe(0);
    expect(now.stdout.split('\n')[0]).toMatch(new RegExp(`^position:${position} · version (\\d+) of \\1 · last POSITION_CLOSED at `));
    expect(now.stdout).toMatch(/\nstatus\s+closed\n/);
    expect(early.stdout).toMatch(/version 1 of \d+ · last POSITION_OPENED/);
    expect(early.stdout).toMatch(/\nstatus\s+open\n/);
    const state = JSON.parse(json.stdout) as { status: string; realized_pnl: number; position_id: string };
    expect(state.status).toBe('closed');
    expect(state.position_id).toBe(position);
    expect(typeof state.realized_pnl).toBe('number');
    expect((JSON.parse(earlyJson.stdout) as { status: string }).status).toBe('open');
  });

  it('show --as-of a time between two events gives the state after the earlier one', async () => {
    const events = all.filter((e) => e.aggregate_type === 'order' && e.aggregate_id === `${run}-ord-0001`);
    const firstFill = events.findIndex((e) => e.event_type === 'ORDER_FILLED' || e.event_type === 'ORDER_PARTIALLY_FILLED');
    expect(firstFill).toBeGreaterThan(0);
    const before = events[firstFill - 1]!;
    const at = await runBin(['show', 'order', `${run}-ord-0001`, '--db', db, '--as-of', String(events[firstFill]!.created_at - 1)]);
    expect(at.code).toBe(0);
    expect(at.stdout).toContain(`version ${before.sequence_number} of ${events.length}`);
  });

  it('replay, piped, prints every step with the state change it caused', async () => {
    const order = `${run}-ord-0001`;
    const steps = all.filter((e) => e.aggregate_type === 'order' && e.aggregate_id === order);
    const [text, json] = await Promise.all([
      runBin(['replay', 'order', order, '--db', db]),
      runBin(['replay', 'order', order, '--db', db, '--json']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`replay order:${order}: ${steps.length} step(s)`);
    for (const [i, e] of steps.entries()) expect(text.stdout).toContain(`#${i + 1} (${i + 1}/${steps.length})  ${e.event_type}`);
    expect(text.stdout).toContain('~ status: unknown → submitted');
    const parsed = JSON.parse(json.stdout) as { steps: { event: EventJson; diff: { path: string; kind: string }[] }[] };
    expect(parsed.steps.map((s) => s.event.event_id)).toEqual(steps.map((e) => e.event_id));
    expect(parsed.steps[0]!.diff).toContainEqual(expect.objectContaining({ path: '$.status', kind: 'changed' }));
  });

  it('trace resolves an alert id, an order id, an event id and a correlation id to the same story', async () => {
    const fill = all.find((e) => e.event_type === 'ORDER_FILLED')!;
    const correlation = fill.metadata.correlation_id!;
    const story = all.filter((e) => e.metadata.correlation_id === correlation);
    const alert = story.find((e) => e.aggregate_type === 'alert')!;
    const results = await Promise.all([
      runBin(['trace', correlation, '--db', db, '--json']),
      runBin(['trace', fill.event_id, '--db', db, '--json']),
      runBin(['trace', fill.aggregate_id, '--db', db, '--json']),
      runBin(['trace', alert.aggregate_id, '--db', db, '--json']),
    ]);
    const bodies = results.map(
      (r) =>
        JSON.parse(r.stdout) as {
          resolved_as: string;
          focus: string | null;
          events: (EventJson & { depth: number; caused_by: string | null })[];
        },
    );
    expect(bodies.map((b) => b.resolved_as)).toEqual(['correlation', 'event', 'aggregate', 'aggregate']);
    expect(bodies[1]!.focus).toBe(fill.event_id);
    for (const body of bodies) expect(new Set(body.events.map((e) => e.event_id))).toEqual(new Set(story.map((e) => e.event_id)));
    // The tree: every event sits under its cause, and the story spans the plugins.
    const tree = bodies[0]!.events;
    const index = new Map(tree.map((e, i) => [e.event_id, i]));
    for (const e of tree) {
      if (e.caused_by !== null) {
        expect(e.caused_by).toBe(e.metadata.causation_id);
        expect(index.get(e.caused_by)!).toBeLessThan(index.get(e.event_id)!);
      }
    }
    expect(new Set(tree.map((e) => e.aggregate_type))).toEqual(new Set(['alert', 'signal', 'risk', 'order', 'position']));
  });

  it('trace prints an indented causal tree with times that fits 80 columns', async () => {
    const result = await runBin(['trace', `${run}-ord-0001`, '--db', db]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`trace ${run}-ord-0001 (an aggregate id)`);
    expect(lines[1]).toMatch(/^correlation [0-9a-f-]{36}$/);
    expect(lines[2]).toMatch(/^\d+ events · \d+ aggregates · 2025-03-03 \d\d:\d\d:\d\d → \d\d:\d\d:\d\d UTC · /);
    expect(result.stdout).toMatch(/\n\d\d:\d\d:\d\d\.\d{3} {2}\+0ms\s+ALERT_RECEIVED alert:/);
    expect(result.stdout).toMatch(/├─ RISK_CHECK_PASSED risk:/);
    expect(result.stdout).toMatch(/└─ ORDER_SUBMITTED order:/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('stats counts by type and aggregate type, with span, size and corrupt rows', async () => {
    const [text, json] = await Promise.all([runBin(['stats', '--db', db]), runBin(['stats', '--db', db, '--json'])]);
    const stats = JSON.parse(json.stdout) as {
      total: number;
      corrupt: number;
      byType: Record<string, number>;
      byAggregateType: Record<string, number>;
      fileBytes: number;
    };
    expect(stats.total).toBe(all.length);
    expect(stats.corrupt).toBe(0);
    expect(stats.byType.ORDER_FILLED).toBe(all.filter((e) => e.event_type === 'ORDER_FILLED').length);
    expect(Object.values(stats.byAggregateType).reduce((a, b) => a + b, 0)).toBe(all.length);
    expect(stats.fileBytes).toBe(statSync(db).size);
    expect(text.stdout).toMatch(new RegExp(`\\nevents\\s+${all.length}\\n`));
    expect(text.stdout).toMatch(/\ncorrupt rows\s+0\n/);
    expect(text.stdout).toMatch(/\ntime span UTC\s+2025-03-03 \d\d:\d\d:\d\d\.\d{3} → 2025-03-03 /);
    expect(text.stdout).toMatch(/\nORDER_FILLED\s+\d+\s+\d+\.\d%\n/);
  });

  it('verify passes on a clean log and exits 0', async () => {
    const result = await runBin(['verify', '--db', db]);
    expect(result.stdout).toContain('✓ sequences');
    expect(result.stdout).toContain(`✓ schemas: ${all.length} events valid`);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('no problems found');
    expect(result.code).toBe(0);
  });
});
