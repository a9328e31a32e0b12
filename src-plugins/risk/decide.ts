/**
 * What the risk plugin emits for a hooked call: pure functions of the call's input (the
 * book's id, the method's name), unit-tested without SQLite. Every event goes to one
 * `risk` aggregate per book and continues the chain of what it checked (a signal or an
 * order), never the book's: one book spans every trade.
 */
import { errorMessage, errorReason, isRecord, lower, type Input } from '../shared/input';
import { ref, type Decision } from '../shared/plugin-runtime';
import { num, str } from '../shared/reduce-helpers';
import type { RiskEventType } from './events';

export type RiskDecision = Decision<RiskEventType>;

function onBook(eventType: RiskEventType, input: Input, bookId: string, payload: Input, subject: string | null = null): RiskDecision {
  return {
    eventType,
    aggregateId: str(input.book_id) ?? bookId,
    payload,
    follow: [ref('signal', subject), ref('order', subject)],
  };
}

/** The id a check was about, from the call's first argument. */
function subjectOf(args: readonly unknown[]): string | null {
  const first = args[0];
  if (!isRecord(first)) return null;
  return str(first.subject) ?? str(first.signal_id) ?? str(first.order_id);
}

/** RISK_CHECK_PASSED or RISK_CHECK_FAILED with what it was decided on; `check` defaults to the method's name. */
export function decideCheck(input: Input, args: readonly unknown[], method: string, bookId: string): RiskDecision {
  const subject = str(input.subject) ?? subjectOf(args);
  return onBook(
    input.passed === true ? 'RISK_CHECK_PASSED' : 'RISK_CHECK_FAILED',
    input,
    bookId,
    {
      check: str(input.check) ?? method,
      subject,
      value: input.value ?? null,
      limit: input.limit ?? null,
      reason: str(input.reason),
      reason_code: str(input.reason_code),
    },
    subject,
  );
}

/** A check that threw failed: the error is its reason (what `mapError` says wins). */
export function checkErrorInput(input: Input | undefined, mapped: Input, error: unknown): Input {
  return { ...input, reason: errorMessage(error), reason_code: errorReason(error), ...mapped, passed: false };
}

/** POSITION_LIMIT_WARNING / _EXCEEDED; nothing at level 'ok'. */
export function decidePositionLimit(input: Input, bookId: string): RiskDecision | null {
  const level = lower(input.level);
  if (level !== 'warning' && level !== 'exceeded') return null; // 'ok': nothing to record
  return onBook(level === 'warning' ? 'POSITION_LIMIT_WARNING' : 'POSITION_LIMIT_EXCEEDED', input, bookId, {
    ticker: input.ticker,
    value: num(input.value),
    limit: num(input.limit),
  });
}

/** DAILY_LOSS_LIMIT_WARNING / _EXCEEDED; nothing at level 'ok'. */
export function decideDailyLossLimit(input: Input, bookId: string): RiskDecision | null {
  const level = lower(input.level);
  if (level !== 'warning' && level !== 'exceeded') return null;
  return onBook(level === 'warning' ? 'DAILY_LOSS_LIMIT_WARNING' : 'DAILY_LOSS_LIMIT_EXCEEDED', input, bookId, {
    realized_pnl_today: num(input.realized_pnl_today),
    limit: num(input.limit),
  });
}

/** CIRCUIT_BREAKER_TRIGGERED (the reason defaults to the method's name) or CIRCUIT_BREAKER_RESET. */
export function decideBreaker(
  eventType: 'CIRCUIT_BREAKER_TRIGGERED' | 'CIRCUIT_BREAKER_RESET',
  input: Input,
  method: string,
  bookId: string,
): RiskDecision {
  const reason = str(input.reason);
  return onBook(eventType, input, bookId, {
    reason: eventType === 'CIRCUIT_BREAKER_TRIGGERED' ? (reason ?? method) : reason,
    until: input.until ?? null,
  });
}
