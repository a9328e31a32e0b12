import type { CorruptEvent } from '../../events/types';
import { isCorruptEvent } from '../../events/types';
import { isLogInspector, type LogInspector, type SequenceProblem } from '../../store/types';
import type { CommandContext } from '../context';
import { CliUsageError } from '../errors';
import { walkEvents } from './events';
import { truncate } from '../format/text';
import { openReader, type LogSource, type SourceOptions } from '../log-source';
import { parseCount } from '../options';
import { openPluginSession } from '../plugin-session';
import { SchemaChecker, type SchemaReport } from '../verify/schema-check';
import { checkSnapshots, type SnapshotReport } from '../verify/snapshot-check';
import { archiveLines, VerifyArchive, type ArchiveReport } from './verify-archive';

export type { SequenceProblem };

export interface VerifyOptions extends SourceOptions {
  json?: boolean;
  maxListed?: string;
}

export interface VerifyReport {
  source: string;
  ok: boolean;
  events: number;
  aggregates: number;
  /** What `integrity` comes from: `SQLite quick_check`, `PostgreSQL catalog check`. */
  integrityCheck: string | null;
  /** The backend's check, line by line ('ok' when sound); null where there is none. */
  integrity: string[] | null;
  sequences: SequenceProblem[];
  corrupt: Pick<
    CorruptEvent,
    'event_id' | 'event_type' | 'aggregate_type' | 'aggregate_id' | 'sequence_number' | 'position' | 'field' | 'error'
  >[];
  schema: SchemaReport & { invalid: number };
  snapshots: SnapshotReport;
  /** Only where a file records archive moves: what was archived, moves not finished. */
  archive?: ArchiveReport;
}

/**
 * Every backend (a SQLite file, several, PostgreSQL) inspects itself (LogInspector, the
 * store's contract); a reader that cannot is refused, not half-checked.
 */
function inspectorOf(source: LogSource): LogInspector {
  const candidates: unknown[] = [(source as { inspector?: unknown }).inspector, source.sqlite, source.reader];
  const found = candidates.find(isLogInspector);
  if (found) return found;
  throw new CliUsageError(`${source.label}: this backend offers no integrity and sequence checks; verify needs them`);
}

/**
 * Streams: one pass over the log in position order feeds the schema and corrupt-row checks;
 * the store checks sequences with one ordered scan of its unique index and runs its
 * integrity check. Memory is bounded by the number of aggregates and of problems found,
 * never by the number of events. Snapshots are checked last.
 */
export async function verifyLog(source: LogSource): Promise<VerifyReport> {
  const inspector = inspectorOf(source);
  const session = await openPluginSession(source);
  try {
    const schema = new SchemaChecker(session.schemas);
    const corrupt: VerifyReport['corrupt'] = [];
    let events = 0;
    await walkEvents(source.reader, {}, undefined, 0, (records) => {
      for (const record of records) {
        events++;
        if (isCorruptEvent(record)) {
          const { event_id, event_type, aggregate_type, aggregate_id, sequence_number, position, field, error } = record;
          corrupt.push({ event_id, event_type, aggregate_type, aggregate_id, sequence_number, position, field, error });
        } else {
          schema.add(record);
        }
      }
    });
    const archive = VerifyArchive.open(source);
    const scanned = await inspector.checkSequences();
    const sequences = { ...scanned, problems: archive ? archive.sequences(scanned.problems) : scanned.problems };
    const integrity = await inspector.integrityCheck();
    const snapshotDeps = {
      reader: source.reader,
      snapshots: source.snapshots,
      reducers: session.reducers,
      upcaster: session.schemas,
    };
    const snapshotKeys = await inspector.snapshotKeys();
    const snapshots = archive ? await archive.snapshots(snapshotKeys, snapshotDeps) : await checkSnapshots(snapshotKeys, snapshotDeps);
    const invalid = schema.invalidCount;
    const ok = integrity.ok && sequences.problems.length === 0 && corrupt.length === 0 && invalid === 0 && snapshots.problems.length === 0;
    return {
      source: source.label,
      ok,
      events,
      aggregates: sequences.aggregates,
      integrityCheck: integrity.check,
      integrity: integrity.lines,
      sequences: sequences.problems,
      corrupt,
      schema: { ...schema.result(), invalid },
      snapshots,
      ...(archive ? { archive: archive.report() } : {}),
    };
  } finally {
    await session.close();
  }
}

export async function runVerify(options: VerifyOptions, ctx: CommandContext): Promise<number> {
  const maxListed = parseCount(options.maxListed ?? '20', '--max-listed');
  const source = await openReader(options, ctx);
  let report: VerifyReport;
  try {
    report = await verifyLog(source);
  } finally {
    await source.close();
  }
  const { io } = ctx;
  if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else io.out(renderVerify(report, maxListed, ctx));
  return report.ok ? 0 : 1;
}

function renderVerify(report: VerifyReport, maxListed: number, ctx: CommandContext): string {
  const { c, width } = ctx.io;
  const lines: string[] = [`${c.bold('verify')} ${report.source}: ${report.events} events, ${report.aggregates} aggregates`];
  const pass = (text: string): void => void lines.push(`  ${c.green('✓')} ${text}`);
  const fail = (text: string): void => void lines.push(`  ${c.red('✗')} ${text}`);
  const item = (text: string): void => void lines.push(truncate(`      ${text}`, width));
  const detail = (text: string): void => void lines.push(c.dim(truncate(`        ${text}`, width)));
  const more = (shown: number, total: number): void => {
    if (total > shown) lines.push(c.dim(`      … ${total - shown} more (--max-listed, or --json for all)`));
  };

  if (report.integrity !== null) {
    const check = report.integrityCheck ?? 'integrity check';
    if (report.integrity.length === 1 && report.integrity[0] === 'ok') pass(`${check}: ok`);
    else {
      fail(`${check}: ${report.integrity.length} problem(s)`);
      report.integrity.slice(0, maxListed).forEach(item);
      more(Math.min(maxListed, report.integrity.length), report.integrity.length);
    }
  }

  if (report.sequences.length === 0) pass('sequences: every aggregate numbered 1, 2, 3… without gaps or duplicates');
  else {
    const gaps = report.sequences.filter((p) => p.kind === 'gap').length;
    const dups = report.sequences.filter((p) => p.kind === 'duplicate').length;
    const none = report.sequences.filter((p) => p.kind === 'no_sequence').length;
    fail(`sequences: ${gaps} gap(s), ${dups} duplicate(s)${none ? `, ${none} aggregate(s) with unnumbered rows` : ''}`);
    for (const p of report.sequences.slice(0, maxListed)) {
      item(`${p.aggregate_type}:${p.aggregate_id}  ${p.kind.replace('_', ' ')}: ${p.detail}`);
      for (const id of p.event_ids.slice(0, 5)) detail(`event ${id}`);
    }
    more(Math.min(maxListed, report.sequences.length), report.sequences.length);
  }

  if (report.corrupt.length === 0) pass('JSON: every row parses');
  else {
    fail(`corrupt rows: ${report.corrupt.length} (JSON that does not parse)`);
    for (const r of report.corrupt.slice(0, maxListed)) {
      item(`${r.event_type} ${r.aggregate_type}:${r.aggregate_id}#${r.sequence_number ?? '?'}`);
      detail(`event ${r.event_id} · position ${r.position}`);
      detail(`${r.field}: ${r.error}`);
    }
    more(Math.min(maxListed, report.corrupt.length), report.corrupt.length);
  }

  const unknown = Object.entries(report.schema.unknownTypes);
  const unknownNote = (): void => {
    if (unknown.length === 0) return;
    lines.push(c.yellow(truncate(`      not checked, no plugin knows: ${unknown.map(([t, n]) => `${t} ×${n}`).join(', ')}`, width)));
  };
  if (report.schema.invalid === 0) {
    pass(`schemas: ${report.schema.checked} events valid`);
    unknownNote();
  } else {
    fail(`schemas: ${report.schema.invalid} of ${report.schema.checked} events invalid`);
    unknownNote();
    let listed = 0;
    for (const [type, entry] of Object.entries(report.schema.invalidByType)) {
      lines.push(`      ${type} ×${entry.count}`);
      for (const example of entry.examples) {
        if (listed++ >= maxListed) break;
        item(`  ${example.aggregate}  event ${example.event_id}`);
        for (const issue of example.issues) detail(`  ${issue.path || '(root)'}: ${issue.message}`);
      }
    }
  }

  const s = report.snapshots;
  const notes = [
    s.stale ? `${s.stale} from another reducer version, ignored by rebuilds` : '',
    s.unchecked ? `${s.unchecked} of a type no plugin rebuilds` : '',
  ].filter(Boolean);
  const noteText = notes.length ? c.dim(` (${notes.join('; ')})`) : '';
  if (s.problems.length === 0) pass(`snapshots: ${s.checked} agree with a rebuild${noteText}`);
  else {
    fail(`snapshots: ${s.problems.length} of ${s.checked} disagree with a rebuild${noteText}`);
    for (const p of s.problems.slice(0, maxListed)) {
      item(`${p.aggregate_type}:${p.aggregate_id}, snapshot at sequence ${p.last_sequence_number}`);
      detail(p.reason);
    }
    more(Math.min(maxListed, s.problems.length), s.problems.length);
  }

  if (report.archive) archiveLines(report.archive, pass, (text) => void lines.push(`  ${c.yellow('!')} ${text}`));

  lines.push(report.ok ? c.green('no problems found') : c.red('problems found'));
  return `${lines.join('\n')}\n`;
}
