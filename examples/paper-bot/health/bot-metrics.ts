import type { Bot } from '../bot';
import type { SessionStatus } from '../session';

/** The bot's own gauges and counters, appended to the core's event metrics on /metrics. */
export function renderBotMetrics(bot: Bot, status: SessionStatus, labels: Record<string, string>): string {
  const label = Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number): void => {
    lines.push(`# HELP paper_bot_${name} ${help}`, `# TYPE paper_bot_${name} ${type}`, `paper_bot_${name}{${label}} ${value}`);
  };
  const st = bot.pipeline.stats;
  const positions = bot.positions.all();
  metric('running', 'gauge', '1 while the session runs.', status.state === 'running' ? 1 : 0);
  metric('sim_time_seconds', 'gauge', 'Simulated clock (Unix seconds).', Math.floor(status.simTime / 1000));
  metric('alerts_received_total', 'counter', 'News alerts received.', st.received);
  metric('alerts_skipped_total', 'counter', 'Alerts skipped (any reason).', st.skipped);
  metric('orders_submitted_total', 'counter', 'Orders sent to the paper broker.', bot.executor.all().length);
  metric(
    'orders_rejected_total',
    'counter',
    'Orders the broker refused.',
    bot.executor.all().filter((o) => o.status === 'rejected').length,
  );
  metric('positions_open', 'gauge', 'Open positions.', positions.filter((p) => p.status === 'open').length);
  metric('positions_closed_total', 'counter', 'Closed positions.', positions.filter((p) => p.status === 'closed').length);
  metric(
    'realized_pnl_dollars',
    'gauge',
    'Realized P&L of the run.',
    Math.round(positions.reduce((n, p) => n + p.realized_pnl, 0) * 100) / 100,
  );
  metric('equity_dollars', 'gauge', 'Account equity at the last prices.', bot.broker.equity());
  return `${lines.join('\n')}\n`;
}
