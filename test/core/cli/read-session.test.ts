/**
 * A read does no bot setup (issue 14): `show position ID` on a paper session loads the
 * plugins' definitions only — no hook handler, no attach, no chain listener — and parses
 * the config once. In process, through the composition root the bin uses.
 */
import pc from 'picocolors';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../src-core';
import { configSchema } from '../../../src-core/config/config';
import { EventEmitter } from '../../../src-core/emitter/event-emitter';
import { DefaultHookRegistry } from '../../../src-core/hooks/hook-registry';
import { runCatalystCli } from '../../../src-desktop/cli/main';
import { BUILTIN_PLUGINS } from '../../../src-desktop/main/builtin-plugins';
import { tempDir } from '../../support/temp';
import { writeBotLog } from './support/logs';

function memoryIo(): CliIo & { text(): string; errors(): string } {
  let out = '';
  let err = '';
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: false,
    c: pc.createColors(false),
    ce: pc.createColors(false),
    width: 100,
    env: {},
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    text: () => out,
    errors: () => err,
  };
}

describe('show position on a paper session', () => {
  const tmp = tempDir('cli-read-session-');
  let file: string;
  let runId: string;
  beforeAll(() => {
    file = tmp.file('paper.db');
    runId = writeBotLog(file);
  }, 120_000);
  afterAll(() => {
    vi.restoreAllMocks();
    tmp.cleanup();
  });

  it('attaches no hook handler, calls no attach, listens to nothing, and parses the config once', async () => {
    const hookOn = vi.spyOn(DefaultHookRegistry.prototype, 'on');
    const accepted = vi.spyOn(EventEmitter.prototype, 'onAccepted');
    const parse = vi.spyOn(configSchema, 'safeParse');
    const attaches = BUILTIN_PLUGINS.map((plugin) => vi.spyOn(plugin, 'attach' as never));
    const defines = BUILTIN_PLUGINS.map((plugin) => vi.spyOn(plugin, 'define' as never));
    const io = memoryIo();
    const code = await runCatalystCli(['show', 'position', `${runId}-pos-0001`, '--db', file], { io, cwd: tmp.dir, env: {} });
    expect(io.errors()).toBe('');
    expect(code).toBe(0);
    expect(io.text()).toContain(`position:${runId}-pos-0001`);
    for (const define of defines) expect(define).toHaveBeenCalledTimes(1);
    for (const attach of attaches) expect(attach).not.toHaveBeenCalled();
    expect(hookOn).not.toHaveBeenCalled();
    expect(accepted).not.toHaveBeenCalled();
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
