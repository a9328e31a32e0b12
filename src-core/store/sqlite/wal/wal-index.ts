import { closeSync, openSync, readSync } from 'node:fs';
import { endianness } from 'node:os';

/** Where a WAL stands: frames written since it last restarted, and how many of them a checkpoint has copied into the database. */
export interface WalState {
  frames: number;
  backfilled: number;
}

/** The wal-index header through nBackfill: https://www.sqlite.org/walformat.html (section 2.2). */
const HEADER_BYTES = 100;
/** WalIndexHdr.mxFrame: the last valid frame of the WAL. */
const MX_FRAME = 16;
/** WalCkptInfo.nBackfill: frames already copied into the database file. */
const N_BACKFILL = 96;

/**
 * Reads a WAL database's frame counts from its wal-index (the `-shm` file every connection
 * maps), a 100-byte read and no lock: SQLite's connection API says nothing about the WAL's
 * length, and asking by `PRAGMA wal_checkpoint` would checkpoint. The values are a hint for
 * when to checkpoint (a torn read only moves one checkpoint), never a decision about data.
 */
export class WalIndex {
  private fd: number | null = null;
  private readonly bytes = new Uint8Array(HEADER_BYTES);
  private readonly view = new DataView(this.bytes.buffer);
  private readonly little = endianness() === 'LE';

  constructor(private readonly file: string) {}

  /** The WAL's state now; null when there is no wal-index to read (not WAL mode, exclusive locking, a file in memory). */
  read(): WalState | null {
    try {
      this.fd ??= openSync(`${this.file}-shm`, 'r');
      if (readSync(this.fd, this.bytes, 0, HEADER_BYTES, 0) < HEADER_BYTES) return null;
    } catch {
      return null;
    }
    // Written in the host's byte order (it is shared memory, never moved between machines).
    const frames = this.view.getUint32(MX_FRAME, this.little);
    // A read torn by a writer restarting the WAL: nothing waits to be copied, as far as it shows.
    const backfilled = Math.min(this.view.getUint32(N_BACKFILL, this.little), frames);
    return { frames, backfilled };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
