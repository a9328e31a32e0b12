import { emitKeypressEvents } from 'node:readline';
import type { RebuildSteps } from '../../rebuild/types';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { eventJson } from '../format/event-json';
import { flatten } from '../format/flatten';
import { renderStep } from '../format/step';
import { truncate } from '../format/text';
import { openReader, type SourceOptions } from '../log-source';
import { parseCount } from '../options';
import { openPluginSession } from '../plugin-session';

export interface ReplayOptions extends SourceOptions {
  fromSeq?: string;
  toSeq?: string;
  all?: boolean;
  json?: boolean;
}

export async function runReplay(aggregateType: string, aggregateId: string, options: ReplayOptions, ctx: CommandContext): Promise<number> {
  const range = {
    ...(options.fromSeq !== undefined ? { fromSequence: parseCount(options.fromSeq, '--from-seq', 1) } : {}),
    ...(options.toSeq !== undefined ? { toSequence: parseCount(options.toSeq, '--to-seq', 1) } : {}),
  };
  const source = await openReader(options, ctx);
  let steps: RebuildSteps;
  try {
    const session = await openPluginSession(source);
    try {
      session.reducers.require(aggregateType);
      if ((await source.reader.aggregateVersion(aggregateType, aggregateId)) === 0) {
        throw new CliUsageError(`no events for ${aggregateType}:${aggregateId} in ${source.label}`);
      }
      steps = await session.rebuilder.steps(aggregateType, aggregateId, range);
    } finally {
      await session.close();
    }
  } finally {
    await source.close();
  }
  const { io } = ctx;
  if (options.json) {
    io.out(
      `${JSON.stringify(
        {
          aggregate_type: aggregateType,
          aggregate_id: aggregateId,
          initial: steps.initial,
          steps: steps.steps.map((s) => ({ index: s.index, event: eventJson(s.event), diff: s.diff, anomaly: s.anomaly })),
          anomalies: steps.anomalies,
          corrupt: steps.corrupt.map(eventJson),
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (steps.steps.length === 0) {
    io.out(io.c.dim(`${aggregateType}:${aggregateId}: no events in that range\n`));
    return 0;
  }
  if (io.isTTY && io.stdin.isTTY && !options.all) return interactive(steps, ctx);
  const first = steps.steps[0]!.event.created_at;
  io.out(`${io.c.bold(`replay ${aggregateType}:${aggregateId}`)}: ${steps.steps.length} step(s)\n\n`);
  for (const step of steps.steps) io.out(`${renderStep(step, steps.steps.length, first, io.width, io.c)}\n`);
  for (const row of steps.corrupt) {
    io.out(io.c.red(`! #${row.sequence_number ?? '?'} ${row.event_type} ${row.event_id}: corrupt ${row.field}, skipped\n`));
  }
  return 0;
}

const HELP = '←/p back · →/n/space next · g first · G last · q quit';

/** A terminal stepper: one step at a time, with the state after it and the changed paths marked. */
async function interactive(steps: RebuildSteps, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const { c } = io;
  const signal = ctx.interrupts();
  const all = steps.steps;
  const first = all[0]!.event.created_at;
  let at = 0;
  const draw = (): void => {
    const step = all[at]!;
    const changed = new Set(step.diff.map((d) => d.path.replace(/^\$\.?/, '')));
    const rows = (io.stdout.rows !== undefined && io.stdout.rows > 10 ? io.stdout.rows : 40) - 4;
    const head = renderStep(step, all.length, first, io.width, c).split('\n');
    const state = flatten(step.after).map(([path, value]) => {
      const line = truncate(`  ${path}  ${value}`, io.width);
      return [...changed].some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`)) ? c.yellow(line) : c.dim(line);
    });
    const body = [...head, c.bold('state after'), ...state].slice(0, Math.max(5, rows));
    io.out(`\x1b[2J\x1b[H${body.join('\n')}\n${c.dim(HELP)}\n`);
  };
  return new Promise<number>((resolve) => {
    const stdin = io.stdin;
    emitKeypressEvents(stdin);
    stdin.setRawMode(true);
    stdin.resume();
    const done = (): void => {
      stdin.off('keypress', onKey);
      stdin.setRawMode(false);
      stdin.pause();
      resolve(0);
    };
    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean; shift?: boolean } = {}): void => {
      const name = key.name ?? text;
      if (name === 'q' || name === 'escape' || (key.ctrl && name === 'c')) return done();
      if (name === 'right' || name === 'n' || name === 'space' || name === 'return' || name === 'down' || name === 'j')
        at = Math.min(all.length - 1, at + 1);
      else if (name === 'left' || name === 'p' || name === 'b' || name === 'up' || name === 'k') at = Math.max(0, at - 1);
      else if (text === 'G' || name === 'end') at = all.length - 1;
      else if (name === 'g' || name === 'home') at = 0;
      else return;
      draw();
    };
    stdin.on('keypress', onKey);
    signal.addEventListener('abort', done, { once: true });
    draw();
  });
}
