import { createHash } from 'node:crypto';
import type { Snapshot } from './types';

/** What a snapshot's checksum covers: its state and the point in the log it stands for. */
export type ChecksummedSnapshot = Pick<
  Snapshot,
  'aggregate_type' | 'aggregate_id' | 'state' | 'reducer_version' | 'last_event_id' | 'last_sequence_number'
>;

/**
 * `sha256:<hex>` of the snapshot's aggregate, reducer version, last event (id and sequence) and
 * its state's JSON text. The state is hashed as JSON.stringify writes it: what the store saves
 * is JSON.stringify(state), and parsing and re-stringifying that text gives the same text, so
 * the writer and every later reader compute the same value. An edited state, a state moved to
 * another aggregate or point, or a torn write no longer matches.
 */
export function snapshotChecksum(snapshot: ChecksummedSnapshot): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify([
      snapshot.aggregate_type,
      snapshot.aggregate_id,
      snapshot.reducer_version,
      snapshot.last_event_id,
      snapshot.last_sequence_number,
    ]),
  );
  hash.update('\n');
  hash.update(JSON.stringify(snapshot.state) ?? 'undefined');
  return `sha256:${hash.digest('hex')}`;
}

/** Whether the snapshot carries a checksum and it matches (a missing one proves nothing). */
export function snapshotChecksumMatches(snapshot: ChecksummedSnapshot & { checksum?: string | null }): boolean {
  return typeof snapshot.checksum === 'string' && snapshot.checksum === snapshotChecksum(snapshot);
}
