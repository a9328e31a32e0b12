import type { DiffEntry } from '../../rebuild/diff';
import type { RebuildStep } from '../../rebuild/types';
import type { Colors } from '../io';
import { singleLine, truncate } from './text';
import { formatOffset, formatTime } from './time';
import { inline, payloadPreview } from './value';

function pathLabel(path: string): string {
  return path === '$' ? '(state)' : path.replace(/^\$\.?/, '');
}

/** `~ status: accepted → filled`, `+ fills[0]: {...}`, `- stop: 95` */
export function diffLine(entry: DiffEntry, c: Colors): string {
  const path = pathLabel(entry.path);
  if (entry.kind === 'added') return `${c.green('+')} ${path}: ${c.green(inline(entry.after))}`;
  if (entry.kind === 'removed') return `${c.red('-')} ${path}: ${c.red(inline(entry.before))}`;
  return `${c.yellow('~')} ${path}: ${c.dim(inline(entry.before))} → ${c.yellow(inline(entry.after))}`;
}

/** One replay step: which event, when, what it carried, and each change it made to the state. */
export function renderStep(step: RebuildStep, total: number, startedAt: number, width: number, c: Colors): string {
  const e = step.event;
  const lines = [
    `${c.bold(`#${e.sequence_number}`)} ${c.dim(`(${step.index + 1}/${total})`)}  ${c.bold(e.event_type)}  ` +
      `${formatTime(e.created_at)} UTC ${c.dim(formatOffset(e.created_at, startedAt))}`,
    c.dim(truncate(`  event ${e.event_id} · position ${e.position}`, width)),
    truncate(`  ${singleLine(payloadPreview(e))}`, width),
  ];
  if (step.anomaly) lines.push(c.yellow(truncate(`  ! ${step.anomaly.kind}: ${step.anomaly.reason}`, width)));
  if (step.diff.length === 0) lines.push(c.dim('  (no change to the state)'));
  for (const entry of step.diff) lines.push(`    ${truncateColored(diffLine(entry, c), entry, width - 4, c)}`);
  return `${lines.join('\n')}\n`;
}

/** Keeps colours when the line fits; cuts the plain text when it does not. */
function truncateColored(line: string, entry: DiffEntry, width: number, c: Colors): string {
  const plain = diffLine(entry, { ...c, green: String, red: String, yellow: String, dim: String });
  return [...plain].length <= width ? line : truncate(plain, width);
}
