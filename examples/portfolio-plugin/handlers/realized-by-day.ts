/**
 * Realized P&L by day, from the position events any plugin emits (observed through the
 * emitter). A day first met after a restart is read back from the log first, so the figure
 * covers the whole day, not just what this process saw. (It counts every position in the
 * file: one file serves one bot.)
 */
import { isCorruptEvent, type PluginHistory, type StoredEvent } from 'catalyst-events';
import { finite, utcDate } from '../decide';

/** Days of observed realized P&L kept in memory. */
const DAYS_KEPT = 31;
const DAY_MS = 86_400_000;
const REALIZING = ['POSITION_REDUCED', 'POSITION_CLOSED'];

interface Day {
  realized: number;
  trades: number;
  /** Log position up to which the day was read back from the log (0: nothing read). */
  readUpTo: number;
}

export class RealizedByDay {
  private readonly days = new Map<string, Day>();
  /** Realized so far on positions still open (their reductions), so a close adds only its own part. */
  private readonly partial = new Map<string, number>();

  constructor(private readonly history: PluginHistory) {}

  observe(event: StoredEvent): void {
    if (!REALIZING.includes(event.event_type) || finite(event.payload.realized_pnl) === null) return;
    const day = this.day(utcDate(event.created_at), event.position);
    if (event.position <= day.readUpTo) return; // counted when the day was read back
    this.count(day, event);
  }

  get(date: string): { realized: number; trades: number } {
    return this.day(date, null);
  }

  private count(day: Day, event: StoredEvent): void {
    const realized = finite(event.payload.realized_pnl)!;
    const id = event.aggregate_id;
    if (event.event_type === 'POSITION_REDUCED') {
      day.realized += realized;
      this.partial.set(id, (this.partial.get(id) ?? 0) + realized);
    } else {
      day.realized += realized - this.reducedBefore(event); // the close states the position's total
      day.trades += 1;
      this.partial.delete(id);
    }
  }

  /** What the position's reductions before `close` realized: from its history, which a restart cannot lose. */
  private reducedBefore(close: StoredEvent): number {
    if (!this.history.available) return this.partial.get(close.aggregate_id) ?? 0;
    let sum = 0;
    for (const e of this.history.events(close.aggregate_type, close.aggregate_id, { toSequence: close.sequence_number - 1 })) {
      if (e.event_type === 'POSITION_REDUCED') sum += finite(e.payload.realized_pnl) ?? 0;
    }
    return sum;
  }

  /** The day's figures; a day not met yet is read from the log (events before `before`, or all committed). */
  private day(date: string, before: number | null): Day {
    let day = this.days.get(date);
    if (day !== undefined) return day;
    day = { realized: 0, trades: 0, readUpTo: 0 };
    this.days.set(date, day);
    if (this.days.size > DAYS_KEPT) this.days.delete(this.days.keys().next().value!);
    this.readBack(date, day, before);
    return day;
  }

  private readBack(date: string, day: Day, before: number | null): void {
    const since = Date.parse(`${date}T00:00:00.000Z`);
    if (!this.history.available || Number.isNaN(since)) return;
    let after: number | undefined;
    do {
      const page = this.history.page(
        { types: REALIZING, since, until: since + DAY_MS - 1 },
        { limit: 500, ...(after === undefined ? {} : { after }) },
      );
      for (const record of page.records) {
        if (before !== null && record.position >= before) return;
        day.readUpTo = record.position;
        if (!isCorruptEvent(record) && finite(record.payload.realized_pnl) !== null) this.count(day, record);
      }
      after = page.next ?? undefined;
    } while (after !== undefined);
  }
}
