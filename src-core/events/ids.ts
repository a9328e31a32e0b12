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

  /** The id's 36 characters are written here and read out as one string: no intermediate strings or Buffer views per id. */
  private readonly out = Buffer.alloc(36);

  /**
   * A new lowercase UUIDv7 for time `nowMs` (Unix ms). A time at or before the previous call's keeps
   * the previous time, so ids from one generator always sort in call order.
   */
  next(nowMs: number = Date.now()): string {
    if (nowMs <= this.lastMs) {
      this.counter = (this.counter + 1) & 0xfff;
      if (this.counter === 0) this.lastMs += 1; // 4096 ids in one ms: borrow the next ms
      nowMs = this.lastMs;
    } else {
      this.lastMs = nowMs;
      this.counter = 0;
    }
    if (this.poolOffset + 8 > this.pool.length) {
      this.pool = randomBytes(4096);
      this.poolOffset = 0;
    }
    const r = this.pool;
    const o = this.poolOffset;
    this.poolOffset += 8;
    const out = this.out;
    const hi = Math.floor(nowMs / 0x10000);
    const lo = nowMs & 0xffff;
    hex(out, 0, hi >>> 24);
    hex(out, 2, (hi >>> 16) & 255);
    hex(out, 4, (hi >>> 8) & 255);
    hex(out, 6, hi & 255);
    out[8] = 45;
    hex(out, 9, lo >>> 8);
    hex(out, 11, lo & 255);
    out[13] = 45;
    hex(out, 14, 0x70 | (this.counter >>> 8));
    hex(out, 16, this.counter & 255);
    out[18] = 45;
    hex(out, 19, (r[o]! & 0x3f) | 0x80);
    hex(out, 21, r[o + 1]!);
    out[23] = 45;
    for (let i = 0; i < 6; i++) hex(out, 24 + 2 * i, r[o + 2 + i]!);
    return out.toString('latin1', 0, 36);
  }
}

const DIGITS = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];
function hex(out: Buffer, at: number, byte: number): void {
  out[at] = DIGITS[byte >>> 4]!;
  out[at + 1] = DIGITS[byte & 15]!;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Whether `value` has the UUID shape (8-4-4-4-12 hex digits, any case, any version). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
