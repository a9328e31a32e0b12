import { AlertHooks } from 'catalyst-events/plugins/alert';
import type { AlertDecision, NewsAlert } from './types';

export interface SentMessage {
  alert_id: string;
  channel: string;
  message_id: string;
  text: string;
}

/**
 * The trader's chat channel, on paper: messages are kept in memory with deterministic ids.
 * Only trade decisions are posted (a real desk mutes the skips).
 */
export class PaperDiscord {
  readonly sent: SentMessage[] = [];

  constructor(
    private readonly channel: string,
    private readonly runId: string,
  ) {}

  @AlertHooks.send()
  post(alert: NewsAlert, decision: Pick<AlertDecision, 'action' | 'score'>): SentMessage {
    const message: SentMessage = {
      alert_id: alert.alert_id,
      channel: this.channel,
      message_id: `${this.runId}-msg-${String(this.sent.length + 1).padStart(4, '0')}`,
      text: `${decision.action === 'short' ? 'SHORT' : 'LONG'} ${alert.ticker}: ${alert.headline} (score ${decision.score})`,
    };
    this.sent.push(message);
    return message;
  }
}
