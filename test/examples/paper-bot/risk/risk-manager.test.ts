import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src-core';
import { DEFAULT_LIMITS } from '../../../../examples/paper-bot/risk/limits';
import { RiskManager } from '../../../../examples/paper-bot/risk/risk-manager';

const T0 = 1_740_000_000_000;
function setup() {
  const clock = new ManualClock(T0);
  const risk = new RiskManager(
    'r-risk',
    {
      ...DEFAULT_LIMITS,
      maxPositionValue: 10_000,
      maxOpenPositions: 2,
      dailyLossLimit: 1_000,
      maxConsecutiveLosses: 2,
      cooldownMinutes: 30,
    },
    clock,
  );
  return { clock, risk };
}
const entry = { subject: 'sig-1', ticker: 'AAA', notional: 5_000, openPositions: 0, buyingPower: 50_000 };

describe('RiskManager', () => {
  it('passes an entry within every limit and reports each check with its value and limit', () => {
    const { risk } = setup();
    const checks = risk.checkEntry(entry);
    expect(checks.map((c) => c.check)).toEqual([
      'circuit_breaker',
      'daily_loss',
      'max_open_positions',
      'max_position_size',
      'buying_power',
    ]);
    expect(checks.every((c) => c.passed && c.subject === 'sig-1' && c.book_id === 'r-risk')).toBe(true);
  });

  it('fails every check that is out of bounds, not just the first', () => {
    const { risk } = setup();
    const failed = risk.checkEntry({ ...entry, notional: 12_000, openPositions: 2, buyingPower: 11_000 }).filter((c) => !c.passed);
    expect(failed.map((c) => [c.check, c.value, c.limit, c.reason_code])).toEqual([
      ['max_open_positions', 2, 2, 'too_many_positions'],
      ['max_position_size', 12_000, 10_000, 'position_too_large'],
      ['buying_power', 12_000, 11_000, 'insufficient_buying_power'],
    ]);
  });

  it('caps a size at the limit and flags sizes near or over it', () => {
    const { risk } = setup();
    const seen: string[] = [];
    risk.positionLimit = (r) => (seen.push(`${r.level}:${r.value}`), r);
    expect(risk.sizeEntry('AAA', 5_000)).toBe(5_000);
    expect(risk.sizeEntry('AAA', 9_000)).toBe(9_000);
    expect(risk.sizeEntry('AAA', 14_000)).toBe(10_000);
    expect(seen).toEqual(['warning:9000', 'exceeded:14000']);
  });

  it('warns on the daily loss, then stops entries when it is exceeded, until the next session', () => {
    const { risk } = setup();
    risk.onTradeClosed(300);
    risk.onTradeClosed(-900); // -600 today: warning (50%)
    expect(risk.dailyLossLevel).toBe('warning');
    expect(risk.canOpen()).toBe(true);
    risk.onTradeClosed(500);
    risk.onTradeClosed(-950); // -1050: exceeded
    expect(risk.dailyLossLevel).toBe('exceeded');
    expect(risk.checkEntry(entry).find((c) => c.check === 'daily_loss')?.passed).toBe(false);
    risk.startSession(100_000);
    expect(risk.dailyLossLevel).toBe('ok');
    expect(risk.realizedPnlToday).toBe(0);
  });

  it('trips the circuit breaker after consecutive losses and resets it after the cooldown', () => {
    const { risk, clock } = setup();
    risk.onTradeClosed(-10);
    risk.onTradeClosed(5); // a win breaks the streak
    risk.onTradeClosed(-10);
    expect(risk.breakerState.tripped).toBe(false);
    risk.onTradeClosed(-10);
    expect(risk.breakerState).toEqual({ tripped: true, reason: '2 consecutive losing trades', until: T0 + 30 * 60_000 });
    expect(risk.canOpen()).toBe(false);
    clock.advance(29 * 60_000);
    risk.onTick(clock.now());
    expect(risk.breakerState.tripped).toBe(true);
    clock.advance(60_000);
    risk.onTick(clock.now());
    expect(risk.breakerState.tripped).toBe(false);
    expect(risk.breakerTrips).toBe(1);
  });

  it('trips on a drawdown from the session peak', () => {
    const { risk } = setup();
    risk.startSession(100_000);
    risk.onEquity(101_000);
    risk.onEquity(100_500);
    expect(risk.breakerState.tripped).toBe(false);
    risk.onEquity(99_700); // 1.29% below the peak
    expect(risk.breakerState.tripped).toBe(true);
    expect(risk.breakerState.reason).toMatch(/drawdown/);
  });
});
