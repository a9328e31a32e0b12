import type Database from 'better-sqlite3';
import { SequenceScan } from '../../sequence-scan';
import type { SequenceReport } from '../../types';

/**
 * One ordered scan of (aggregate_type, aggregate_id, sequence_number) — index-only where the
 * seed's unique constraint exists — then the event ids of the few problem rows.
 */
export function checkSequences(db: Database.Database): SequenceReport {
  const scan = new SequenceScan();
  const rows = db
    .prepare('SELECT aggregate_type, aggregate_id, sequence_number FROM event_log ORDER BY aggregate_type, aggregate_id, sequence_number')
    .raw()
    .iterate() as IterableIterator<[string, string, unknown]>;
  for (const [type, id, seq] of rows) scan.add(type, id, seq);
  const pending = scan.finish();
  const duplicates = db
    .prepare('SELECT event_id FROM event_log WHERE aggregate_type = ? AND aggregate_id = ? AND sequence_number = ? ORDER BY rowid')
    .pluck();
  const unnumbered = db
    .prepare(
      `SELECT event_id FROM event_log WHERE aggregate_type = ? AND aggregate_id = ?
         AND (sequence_number IS NULL OR typeof(sequence_number) NOT IN ('integer', 'real')
              OR sequence_number < 1 OR sequence_number <> CAST(sequence_number AS INTEGER)) ORDER BY rowid`,
    )
    .pluck();
  const problems = pending.map(({ sequence, group: _group, ...p }) => ({
    ...p,
    event_ids:
      p.kind === 'duplicate'
        ? (duplicates.all(p.aggregate_type, p.aggregate_id, sequence) as string[])
        : p.kind === 'no_sequence'
          ? (unnumbered.all(p.aggregate_type, p.aggregate_id) as string[])
          : [],
  }));
  return { aggregates: scan.aggregates, problems };
}
