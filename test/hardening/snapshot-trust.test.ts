import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalyst, openCatalystReader } from '../../src-core/container/create-catalyst';
import { snapshotChecksum } from '../../src-core/store/snapshot-checksum';
import { openViewer } from '../../src-desktop/main/open-viewer';
import { BUILTIN_PLUGINS } from '../../src-desktop/main/builtin-plugins';
import { writeTrades } from '../reliability/support/corrupt-logs';
import { tempDir } from '../support/temp';

/**
 * Issue 18 item 3: a snapshot proves its state. Edited, wrong-shaped, moved or checksum-less
 * snapshots are ignored and reported; rebuild, `show` and the viewer give the events' state.
 */
const root = join(import.meta.dirname, '../..');
const tmp = tempDir('catalyst-hardening-snap-');
const file = tmp.file('trades.db');
let ids: { order: string; position: string }[];
let truth: { status: string; filled_quantity: unknown };

type Row = { state: string; last_event_id: string; reducer_version: number; last_sequence_number: number; state_checksum: string | null };
const row = (aggregateId: string): Row => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        "SELECT state, last_event_id, reducer_version, last_sequence_number, state_checksum FROM event_snapshots WHERE aggregate_type = 'order' AND aggregate_id = ?",
      )
      .get(aggregateId) as Row;
  } finally {
    db.close();
  }
};
const setSnapshot = (aggregateId: string, state: unknown, checksum: 'keep' | 'recompute' | null = 'keep') => {
  const db = new Database(file);
  try {
    const before = db.prepare("SELECT * FROM event_snapshots WHERE aggregate_type = 'order' AND aggregate_id = ?").get(aggregateId) as Row &
      Record<string, unknown>;
    const sum =
      checksum === 'keep'
        ? before.state_checksum
        : checksum === null
          ? null
          : snapshotChecksum({
              aggregate_type: 'order',
              aggregate_id: aggregateId,
              state,
              reducer_version: before.reducer_version,
              last_event_id: before.last_event_id,
              last_sequence_number: before.last_sequence_number,
            });
    db.prepare("UPDATE event_snapshots SET state = ?, state_checksum = ? WHERE aggregate_type = 'order' AND aggregate_id = ?").run(
      JSON.stringify(state),
      sum,
      aggregateId,
    );
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  ids = writeTrades(file, 3);
  const catalyst = await createCatalyst(
    { db: file, snapshots: { every: 1 }, emitter: { handleSignals: false } },
    { plugins: BUILTIN_PLUGINS },
  );
  try {
    for (const { order } of ids) {
      const result = await catalyst.rebuilder.rebuild('order', order);
      expect(result.snapshot.written).toBe(true);
    }
    truth = (await catalyst.rebuilder.rebuild('order', ids[0]!.order)).state as typeof truth;
  } finally {
    await catalyst.close();
  }
  expect(truth.status).toBe('filled');
});
afterAll(() => tmp.cleanup());

async function rebuildNow(aggregateId: string) {
  const reader = await openCatalystReader({ db: file }, { plugins: BUILTIN_PLUGINS });
  try {
    return await reader.rebuilder.rebuild('order', aggregateId);
  } finally {
    await reader.close();
  }
}

describe('a snapshot carries the checksum of its state and its last event', () => {
  it('written by the store on save, and a clean one is used', async () => {
    const saved = row(ids[1]!.order);
    expect(saved.state_checksum).toBe(
      snapshotChecksum({
        aggregate_type: 'order',
        aggregate_id: ids[1]!.order,
        state: JSON.parse(saved.state),
        reducer_version: saved.reducer_version,
        last_event_id: saved.last_event_id,
        last_sequence_number: saved.last_sequence_number,
      }),
    );
    const result = await rebuildNow(ids[1]!.order);
    expect(result.fromSnapshot).toBe(true);
    expect(result.snapshot.ignored).toBeNull();
  });
});

describe('a snapshot that cannot prove its state is ignored and reported, never returned', () => {
  it('an edited state (cancelled where the events say filled), last event and reducer version intact', async () => {
    setSnapshot(ids[0]!.order, { ...truth, status: 'cancelled' });
    const result = await rebuildNow(ids[0]!.order);
    expect(result.fromSnapshot).toBe(false);
    expect(result.snapshot).toMatchObject({ found: true, used: false, ignored: 'checksum' });
    expect(result.state).toEqual(truth);
  });

  it.each([[null], [[]], ['hello']])('the state %j, with the old checksum', async (state) => {
    setSnapshot(ids[0]!.order, state);
    const result = await rebuildNow(ids[0]!.order);
    expect(result.snapshot.ignored).toBe('checksum');
    expect(result.state).toEqual(truth);
  });

  it.each([[null], [[]], ['hello'], [{ unrelated: true }]])(
    'the state %j with a checksum recomputed to match: the wrong shape for the reducer',
    async (state) => {
      setSnapshot(ids[0]!.order, state, 'recompute');
      const result = await rebuildNow(ids[0]!.order);
      expect(result.snapshot.ignored).toBe('state_shape');
      expect(result.state).toEqual(truth);
    },
  );

  it('a snapshot without a checksum (an older file, a hand-written row)', async () => {
    setSnapshot(ids[0]!.order, { ...truth, status: 'cancelled' }, null);
    const result = await rebuildNow(ids[0]!.order);
    expect(result.snapshot.ignored).toBe('checksum');
    expect(result.state).toEqual(truth);
  });

  it('a snapshot copied onto another aggregate', async () => {
    const db = new Database(file);
    const other = db
      .prepare("SELECT state, state_checksum FROM event_snapshots WHERE aggregate_type = 'order' AND aggregate_id = ?")
      .get(ids[2]!.order) as Row;
    db.prepare("UPDATE event_snapshots SET state = ?, state_checksum = ? WHERE aggregate_type = 'order' AND aggregate_id = ?").run(
      other.state,
      other.state_checksum,
      ids[0]!.order,
    );
    db.close();
    const result = await rebuildNow(ids[0]!.order);
    expect(result.snapshot.ignored).toBe('checksum');
    expect(result.state).toEqual(truth);
  });

  it('show (CLI, a child process) gives the events’ state and says the snapshot was ignored', () => {
    setSnapshot(ids[0]!.order, { ...truth, status: 'cancelled' });
    const bin = existsSync(join(root, 'src-desktop/cli/bin.mjs')) ? 'src-desktop/cli/bin.mjs' : 'src-core/cli/bin.mjs';
    const shown = spawnSync(process.execPath, [join(root, bin), 'show', 'order', ids[0]!.order, '--json', '--db', file], {
      cwd: tmp.dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(shown.status, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as { status: string }).status).toBe('filled');
    expect(shown.stderr).toMatch(/snapshot .* was ignored: its checksum does not match/);
  });

  it('the viewer gives the events’ state', async () => {
    setSnapshot(ids[0]!.order, { ...truth, status: 'cancelled' });
    const viewer = await openViewer({ file, plugins: BUILTIN_PLUGINS });
    try {
      const view = await viewer.service.rebuild({ aggregateType: 'order', aggregateId: ids[0]!.order });
      expect((view.state as { status: string }).status).toBe('filled');
      const replay = await viewer.service.replay({ aggregateType: 'order', aggregateId: ids[0]!.order });
      expect(replay.steps.at(-1)!.changes).toContainEqual(expect.objectContaining({ path: '$.status', after: 'filled' }));
    } finally {
      await viewer.close();
    }
  });

  it('a writer rebuilding it replaces the bad snapshot with a proven one', async () => {
    setSnapshot(ids[0]!.order, { ...truth, status: 'cancelled' });
    const catalyst = await createCatalyst(
      { db: file, snapshots: { every: 1 }, emitter: { handleSignals: false } },
      { plugins: BUILTIN_PLUGINS },
    );
    try {
      const result = await catalyst.rebuilder.rebuild('order', ids[0]!.order);
      expect(result.snapshot).toMatchObject({ ignored: 'checksum', written: true });
    } finally {
      await catalyst.close();
    }
    const again = await rebuildNow(ids[0]!.order);
    expect(again).toMatchObject({ fromSnapshot: true, state: truth });
  });
});
