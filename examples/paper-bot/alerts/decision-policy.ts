import type { AlertDecision, AlertScore, Classification, NewsAlert } from './types';

export interface DecisionPolicy {
  minScore: number;
  /** Scores this far below the threshold wait for price confirmation instead of skipping. */
  waitBand: number;
  minConfidence: number;
  /** How long a `wait` waits before looking again. */
  recheckMinutes: number;
  /** Price move (in the catalyst's direction) that confirms a waiting alert. */
  confirmMovePct: number;
  /** No new trades after this minute of the session. */
  lastEntryMinute: number;
  allowShort: boolean;
}

export const DEFAULT_POLICY: DecisionPolicy = {
  minScore: 0.65,
  waitBand: 0.1,
  minConfidence: 0.55,
  recheckMinutes: 5,
  confirmMovePct: 0.004,
  lastEntryMinute: 350,
  allowShort: true,
};

export interface DecisionInput {
  alert: NewsAlert;
  classification: Classification;
  score: AlertScore;
  minuteOfSession: number;
  /** Flags raised by the pipeline before policy (duplicate story, position already open). */
  flags: string[];
  /** Set on a recheck of a waiting alert: the move since it arrived, in its direction. */
  recheckMovePct: number | null;
  now: number;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** trade / skip / wait, with the reasoning and the threshold it was held against. Pure. */
export function decide(input: DecisionInput, policy: DecisionPolicy): AlertDecision {
  const { alert, classification: c, score } = input;
  const flags = [...input.flags];
  const base = {
    alert_id: alert.alert_id,
    ticker: alert.ticker,
    score: score.score,
    min_score_threshold: policy.minScore,
    confidence: c.confidence,
    min_confidence: policy.minConfidence,
    signal_id: null,
    action: null,
    recheck_at: null,
  };
  const skip = (reason_code: string, reasoning: string): AlertDecision => ({
    ...base,
    decision: 'skip',
    reasoning,
    reason_code,
    override_flags: flags,
  });
  const action = c.sentiment > 0 ? 'buy' : 'short';

  if (flags.includes('duplicate_story'))
    return skip('duplicate_story', `same ${c.catalyst_type} story already handled for ${alert.ticker}`);
  if (flags.includes('position_open')) return skip('position_open', `already trading ${alert.ticker}`);
  if (c.sentiment === 0) return skip('not_directional', `${c.catalyst_type} is not a directional catalyst`);
  if (input.minuteOfSession > policy.lastEntryMinute) {
    flags.push('late_session');
    return skip('late_session', `too late in the session (minute ${input.minuteOfSession} > ${policy.lastEntryMinute})`);
  }
  if (action === 'short' && !policy.allowShort) {
    flags.push('short_disabled');
    return skip('short_disabled', 'bearish catalyst and shorting is disabled');
  }
  if (input.recheckMovePct !== null) {
    if (input.recheckMovePct >= policy.confirmMovePct) {
      flags.push('price_confirmed');
      return {
        ...base,
        decision: 'trade',
        reason_code: 'price_confirmed',
        action,
        override_flags: flags,
        reasoning: `${c.catalyst_type} scored ${score.score} (below ${policy.minScore}) but price confirmed: ${pct(input.recheckMovePct)} >= ${pct(policy.confirmMovePct)}`,
      };
    }
    return skip(
      'not_confirmed',
      `waited ${policy.recheckMinutes} min, price did not confirm (${pct(input.recheckMovePct)} < ${pct(policy.confirmMovePct)})`,
    );
  }
  if (score.score >= policy.minScore) {
    if (c.confidence < policy.minConfidence) {
      flags.push('low_confidence');
      return skip(
        'low_confidence',
        `score ${score.score} passes ${policy.minScore} but confidence ${c.confidence} < ${policy.minConfidence}`,
      );
    }
    return {
      ...base,
      decision: 'trade',
      reason_code: 'score_passed',
      action,
      override_flags: flags,
      reasoning: `${c.catalyst_type} (${c.keywords_matched.join(', ')}) scored ${score.score} >= ${policy.minScore}, confidence ${c.confidence}`,
    };
  }
  if (score.score >= policy.minScore - policy.waitBand) {
    return {
      ...base,
      decision: 'wait',
      reason_code: 'near_threshold',
      override_flags: flags,
      recheck_at: input.now + policy.recheckMinutes * 60_000,
      reasoning: `score ${score.score} is within ${policy.waitBand} of ${policy.minScore}: wait ${policy.recheckMinutes} min for price confirmation`,
    };
  }
  return skip('score_below_threshold', `score ${score.score} < ${policy.minScore}`);
}
