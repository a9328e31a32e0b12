import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import alertPlugin, { AlertHooks, type AlertState } from '../../../src-plugins/alert';
import { testCatalyst, type TestCatalyst } from '../catalyst';

class RateLimitError extends Error {
  readonly code = 'rate_limited';
}

class Pipeline {
  @AlertHooks.receive()
  ingest(raw: { id: string; symbol: string; title: string }) {
    // a differently shaped input: the alert id only exists in the result
    return { alert_id: `a-${raw.id}`, ticker: raw.symbol, headline: raw.title, source: 'rss' };
  }

  @AlertHooks.rateLimit()
  isLimited(_alert: { alert_id: string; ticker: string }): boolean {
    return _alert.ticker === 'SPAM';
  }

  @AlertHooks.rateLimit()
  guard(alert: { alert_id: string }) {
    if (alert.alert_id === 'a-over') throw new RateLimitError('5 alerts per 60 s');
  }

  @AlertHooks.score()
  score(_alert: { alert_id: string }) {
    return 0.64;
  }

  @AlertHooks.decide()
  decide(_alert: { alert_id: string }) {
    return 'WAIT';
  }

  @AlertHooks.send({
    map: ([alert], result) => ({ alert_id: (alert as { alert_id: string }).alert_id, channel: 'alerts', message_id: result as string }),
  })
  post(_alert: { alert_id: string }) {
    return 'msg-1';
  }

  @AlertHooks.classify()
  classify(_alert: { alert_id: string }) {
    return null;
  }
}

describe('alert decorators', () => {
  let t: TestCatalyst;
  let bot: Pipeline;
  beforeEach(async () => {
    t = await testCatalyst([alertPlugin]);
    bot = t.catalyst.bind(new Pipeline());
  });
  afterEach(() => t.close());

  it('receive takes the alert from the result when the argument has no alert_id', () => {
    bot.ingest({ id: '7', symbol: 'ACME', title: 'ACME beats' });
    expect(t.events).toHaveLength(1);
    expect(t.events[0]).toMatchObject({
      event_type: 'ALERT_RECEIVED',
      aggregate_id: 'a-7',
      payload: { ticker: 'ACME', headline: 'ACME beats', source: 'rss', received_at: '2025-01-02T14:30:00.000Z' },
    });
  });

  it('rate limiting: a boolean result, or a throw, records ALERT_RATE_LIMITED; not limited records nothing', () => {
    bot.isLimited({ alert_id: 'a-1', ticker: 'ACME' });
    bot.isLimited({ alert_id: 'a-2', ticker: 'SPAM' });
    expect(() => bot.guard({ alert_id: 'a-over' })).toThrow('5 alerts');
    expect(t.events.map((e) => [e.event_type, e.aggregate_id])).toEqual([
      ['ALERT_RATE_LIMITED', 'a-2'],
      ['ALERT_RATE_LIMITED', 'a-over'],
    ]);
    expect(t.events[0]!.payload).not.toHaveProperty('limited');
    expect(t.events[1]!.payload).toMatchObject({ reason: '5 alerts per 60 s' });
  });

  it('score and decide accept bare results; send adapts through map; a null classification emits nothing', async () => {
    bot.score({ alert_id: 'a-1' });
    bot.decide({ alert_id: 'a-1' });
    bot.post({ alert_id: 'a-1' });
    bot.classify({ alert_id: 'a-1' });
    expect(t.events.map((e) => e.event_type)).toEqual(['ALERT_SCORED', 'ALERT_DECISION_MADE', 'ALERT_SENT_DISCORD']);
    expect(t.events[0]!.payload).toMatchObject({ score: 0.64 });
    expect(t.events[1]!.payload).toMatchObject({ decision: 'wait' });
    expect(t.events[2]!.payload).toMatchObject({ channel: 'alerts', message_id: 'msg-1' });
    // separate top-level calls about one alert share its chain
    const correlation = t.events[0]!.metadata.correlation_id;
    for (const e of t.events) expect(e.metadata.correlation_id).toBe(correlation);
    const { state } = await t.catalyst.rebuilder.rebuild<AlertState>('alert', 'a-1');
    expect(state).toMatchObject({ status: 'decided', score: 0.64, decision: { decision: 'wait' } });
    expect(t.errors).toEqual([]);
  });
});
