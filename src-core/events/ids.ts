import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then random bits. Time-ordered ids keep the
 * seed's `event_id TEXT PRIMARY KEY` index append-mostly instead of scattering writes.
 * Monotonic within one generator: a counter in the random bits breaks ties inside one ms.
 */
export class UuidV7Generator {
  private lastMs = -1;
  private counter = 0;
  private pool = Buffer.alloc(0);
  private poolOffset = 0;

  next(nowMs: number = Date.now()): string {
    if (nowMs <= this.lastMs) {
      this.counter = (this.counter + 1) & 0xfff;
      if (this.counter === 0) this.lastMs += 1; // 4096 ids in one ms: borrow the next ms
      nowMs = this.lastMs;
    } else {
      this.lastMs = nowMs;
      this.counter = 0;
    }
    const rand = this.random(8);
    const hex = nowMs.toString(16).padStart(12, '0');
    const ver = (0x7000 | this.counter).toString(16);
    const variant = ((rand[0]! & 0x3f) | 0x80).toString(16).padStart(2, '0');
    const tail = rand.subarray(1, 8).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${ver}-${variant}${tail.slice(0, 2)}-${tail.slice(2, 14)}`;
  }

  private random(n: number): Buffer {
    if (this.poolOffset + n > this.pool.length) {
      this.pool = randomBytes(4096);
      this.poolOffset = 0;
    }
    const out = this.pool.subarray(this.poolOffset, this.poolOffset + n);
    this.poolOffset += n;
    return out;
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
