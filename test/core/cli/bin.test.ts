/** The installed command: through a node_modules/.bin symlink, from any directory, colours and a terminal. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/temp';
import { writeSeedLog } from './support/logs';
import { BIN, cleanEnv, runBin } from './support/run-bin';

/** Runs a command on a pseudo-terminal (python3's pty), typing `keys` once `ready` appears. */
const PTY_PY = String.raw`
import json, os, pty, select, sys, time
args, ready, keys = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(args[0], args)
out = b""
def pump(seconds):
    global out
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            out += chunk
    return True
deadline = time.time() + 30
while ready.encode() not in out and time.time() < deadline:
    if not pump(0.1):
        break
for key in keys:
    os.write(fd, key.encode())
    pump(0.4)
pump(2)
_, status = os.waitpid(pid, 0)
print(json.dumps({"out": out.decode("utf8", "replace"), "code": os.waitstatus_to_exitcode(status)}))
`;

describe('the catalyst-events bin', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;

  beforeAll(() => {
    tmp = tempDir('cli-bin-');
    db = tmp.file('seed.db');
    writeSeedLog(db);
  });

  afterAll(() => tmp.cleanup());

  it('runs through a node_modules/.bin symlink from a directory with no tsconfig', () => {
    const bin = join(tmp.dir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(BIN, join(bin, 'catalyst-events'));
    // Executed directly: the shebang, then tsx registered against the package's own tsconfig.
    const out = execFileSync(join(bin, 'catalyst-events'), ['show', 'order', 'ord_001', '--db', 'seed.db', '--json'], {
      cwd: tmp.dir,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toMatchObject({ order_id: 'ord_001', status: 'filled', filled_quantity: 100 });
  });

  it('CATALYST_EVENTS_DB is the default log; colours only when forced, and NO_COLOR wins', async () => {
    const [fromEnv, forced, vetoed] = await Promise.all([
      runBin(['stats', '--json'], { cwd: tmp.dir, env: { CATALYST_EVENTS_DB: db } }),
      runBin(['events', '--db', db, '--limit', '2'], { env: { FORCE_COLOR: '1' } }),
      runBin(['events', '--db', db, '--limit', '2'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }),
    ]);
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ source: db, total: 8 });
    expect(forced.stdout).toContain('\x1b[1mPOS');
    expect(vetoed.stdout).not.toContain('\x1b[');
    expect(vetoed.stdout).toMatch(/^POS\s+TIME UTC/);
  });

  it('replay on a terminal steps with keys and quits with q', () => {
    const args = [process.execPath, BIN, 'replay', 'position', 'pos_001', '--db', db];
    const result = JSON.parse(
      execFileSync('python3', ['-c', PTY_PY, JSON.stringify([args, 'q quit', ['n', 'n', 'p', 'q']])], {
        cwd: tmp.dir,
        env: cleanEnv(),
        encoding: 'utf8',
      }),
    ) as { out: string; code: number };
    expect(result.code).toBe(0);
    const screens = result.out
      .split('\x1b[2J\x1b[H')
      .slice(1)
      // eslint-disable-next-line no-control-regex -- stripping the SGR colour escapes (ESC [ ... m) is the point
      .map((s) => s.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(screens.map((s) => /#(\d) \((\d)\/3\)\s+(\w+)/.exec(s)?.slice(1).join(' '))).toEqual([
      '1 1 POSITION_OPENED',
      '2 2 POSITION_PRICE_UPDATED',
      '3 3 POSITION_CLOSED',
      '2 2 POSITION_PRICE_UPDATED',
    ]);
    expect(screens[2]).toContain('~ status: open → closed');
    expect(screens[2]).toMatch(/state after\r?\n[\s\S]*status {2}closed/);
  });
});
