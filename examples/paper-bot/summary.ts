import pc from 'picocolors';
import type { Bot } from './bot';
import { cents } from './util/round';
import type { VerifyReport } from './verify/verify-run';

export interface RunSummary {
  run_id: string;
  seed: number;
  state: 'finished' | 'interrupted';
  db: string;
  plugins: boolean;
  mode: string;
  days: number;
  tickers: string[];
  alerts: {
    received: number;
    rate_limited: number;
    trade: number;
    skip: number;
    wait: number;
    skipped: number;
    skipped_by: Record<string, number>;
    signals: number;
  };
  orders: {
    submitted: number;
    entries: number;
    exits: number;
    filled: number;
    partially_filled: number;
    rejected: number;
    cancelled: number;
    expired: number;
    working: number;
  };
  fills: { count: number; partial: number; shares: number; commission: number };
  rejections: { order_id: string; reason: string }[];
  positions: { opened: number; closed: number; open: number; by_exit_reason: Record<string, number>; winners: number; losers: number };
  pnl: { realized: number; unrealized: number; equity: number };
  risk: { checks_failed: number; breaker_trips: number; daily_loss_level: string };
  events: { written: number; types: number; file_total: number | null };
  verification: VerifyReport | null;
  /** Ids worth a look: a closed position and the alert behind the first trade. */
  examples: { position_id: string | null; alert_id: string | null };
}

export interface SummaryContext {
  bot: Bot;
  state: 'finished' | 'interrupted';
  db: string;
  plugins: boolean;
  mode: string;
  days: number;
  eventsWritten: number;
  eventTypes: number;
  fileTotal: number | null;
  verification: VerifyReport | null;
}

/** Counts the session's outcome from the bot's own state (so it is the same with or without plugins). */
export function summarize(ctx: SummaryContext): RunSummary {
  const { bot } = ctx;
  const orders = bot.executor.all();
  const fills = orders.flatMap((o) => o.fills);
  const positions = bot.positions.all();
  const closed = positions.filter((p) => p.status === 'closed');
  const byReason: Record<string, number> = {};
  for (const p of closed) byReason[p.exit_reason ?? 'unknown'] = (byReason[p.exit_reason ?? 'unknown'] ?? 0) + 1;
  const count = (status: string): number => orders.filter((o) => o.status === status).length;
  const st = bot.pipeline.stats;
  const traded = orders.find((o) => o.request.purpose === 'entry' && o.fills.length > 0);
  const position = closed[0] ?? positions[0];
  return {
    run_id: bot.config.runId,
    seed: bot.config.seed,
    state: ctx.state,
    db: ctx.db,
    plugins: ctx.plugins,
    mode: ctx.mode,
    days: ctx.days,
    tickers: [...bot.feed.tickers],
    alerts: {
      received: st.received,
      rate_limited: st.rateLimited,
      trade: st.decisions.trade,
      skip: st.decisions.skip,
      wait: st.decisions.wait,
      skipped: st.skipped,
      skipped_by: { ...st.skippedBy },
      signals: st.signals,
    },
    orders: {
      submitted: orders.length,
      entries: orders.filter((o) => o.request.purpose === 'entry').length,
      exits: orders.filter((o) => o.request.purpose === 'exit').length,
      filled: count('filled'),
      partially_filled: orders.filter((o) => o.fills.length > 0 && (o.fills.length > 1 || o.status !== 'filled')).length,
      rejected: count('rejected'),
      cancelled: count('cancelled'),
      expired: count('expired'),
      working: bot.executor.working().length,
    },
    fills: {
      count: fills.length,
      partial: orders.reduce((n, o) => n + o.history.filter((h) => h.status === 'ORDER_PARTIALLY_FILLED').length, 0),
      shares: fills.reduce((n, f) => n + f.filled_quantity, 0),
      commission: cents(fills.reduce((n, f) => n + f.commission, 0)),
    },
    rejections: orders.filter((o) => o.status === 'rejected').map((o) => ({ order_id: o.request.order_id, reason: o.reject_reason ?? '' })),
    positions: {
      opened: positions.length,
      closed: closed.length,
      open: positions.length - closed.length,
      by_exit_reason: byReason,
      winners: closed.filter((p) => p.realized_pnl > 0).length,
      losers: closed.filter((p) => p.realized_pnl <= 0).length,
    },
    pnl: {
      realized: cents(positions.reduce((n, p) => n + p.realized_pnl, 0)),
      unrealized: cents(
        positions
          .filter((p) => p.status === 'open')
          .reduce((n, p) => n + (p.market_price - p.entry_price) * p.open_quantity * (p.side === 'long' ? 1 : -1), 0),
      ),
      equity: bot.broker.equity(),
    },
    risk: {
      checks_failed: st.riskFailed,
      breaker_trips: bot.risk.breakerTrips,
      daily_loss_level: bot.risk.dailyLossLevel,
    },
    events: { written: ctx.eventsWritten, types: ctx.eventTypes, file_total: ctx.fileTotal },
    verification: ctx.verification,
    examples: {
      position_id: position?.position_id ?? null,
      alert_id: traded ? (bot.pipeline.alertFor(traded.request.signal_id) ?? null) : null,
    },
  };
}

const money = (n: number): string => (n < 0 ? pc.red(`-$${Math.abs(n).toFixed(2)}`) : pc.green(`$${n.toFixed(2)}`));

/** The short human summary, then the commands to look at what was recorded. */
export function formatSummary(s: RunSummary, dbArg: string): string {
  const lines: string[] = [];
  const head = s.state === 'interrupted' ? pc.yellow('stopped early (interrupted)') : pc.green('session complete');
  lines.push(
    `${pc.bold('Catalyst paper bot')} - run ${pc.cyan(s.run_id)}, seed ${s.seed}, ${s.days} day(s), ${s.tickers.join(' ')}: ${head}`,
  );
  lines.push(
    `  alerts     ${s.alerts.received} received, ${s.alerts.rate_limited} rate-limited; decisions: ${s.alerts.trade} trade / ${s.alerts.skip} skip / ${s.alerts.wait} wait; ${s.alerts.signals} signals`,
  );
  const skips = Object.entries(s.alerts.skipped_by)
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => `${n} ${code}`);
  lines.push(`  skipped    ${s.alerts.skipped}${skips.length ? `: ${skips.join(', ')}` : ''}`);
  lines.push(
    `  orders     ${s.orders.submitted} submitted (${s.orders.entries} entries, ${s.orders.exits} exits): ${s.orders.filled} filled, ${s.orders.rejected} rejected, ${s.orders.cancelled} cancelled, ${s.orders.expired} expired`,
  );
  lines.push(
    `  fills      ${s.fills.count} (${s.fills.partial} partial), ${s.fills.shares} shares, commission $${s.fills.commission.toFixed(2)}`,
  );
  if (s.rejections.length > 0) lines.push(`  rejections ${s.rejections.map((r) => `${r.order_id} (${r.reason})`).join(', ')}`);
  const reasons = Object.entries(s.positions.by_exit_reason)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  lines.push(
    `  positions  ${s.positions.opened} opened, ${s.positions.closed} closed${reasons ? ` (${reasons})` : ''}, ${s.positions.open} open; ${s.positions.winners} won / ${s.positions.losers} lost`,
  );
  lines.push(`  P&L        realized ${money(s.pnl.realized)}, unrealized ${money(s.pnl.unrealized)}, equity $${s.pnl.equity.toFixed(2)}`);
  lines.push(
    `  risk       ${s.risk.checks_failed} signal(s) failed risk checks, circuit breaker tripped ${s.risk.breaker_trips}x, daily loss: ${s.risk.daily_loss_level}`,
  );
  if (s.plugins) {
    lines.push(
      `  events     ${s.events.written} written (${s.events.types} types) to ${dbArg}${s.events.file_total !== null ? ` (${s.events.file_total} in the file)` : ''}`,
    );
  } else {
    lines.push(`  events     none: no plugin loaded (--no-plugins)`);
  }
  const v = s.verification;
  if (v) {
    lines.push(
      v.mismatches.length === 0
        ? `  verify     ${pc.green(`verified ${v.verified} aggregates`)}: every order and position rebuilt from the log equals the bot's state`
        : `  verify     ${pc.red(`${v.mismatches.length} aggregate(s) differ`)} (${v.verified} verified)`,
    );
    for (const m of v.mismatches.slice(0, 10)) {
      lines.push(`    ${m.aggregateType} ${m.aggregateId}:`);
      for (const d of m.differences.slice(0, 5))
        lines.push(`      ${d.path}: log ${JSON.stringify(d.rebuilt)} / bot ${JSON.stringify(d.live)}`);
    }
  }
  if (s.plugins) {
    const db = `--db ${dbArg}`;
    // The paper bot runs from a clone, where the CLI runs from its sources (`npm run cli`); an install has `npx catalyst-events`.
    lines.push('', pc.bold('Next, look at what was recorded:'));
    if (s.examples.position_id) lines.push(`  npm run cli -- show position ${s.examples.position_id} ${db}`);
    if (s.examples.alert_id) lines.push(`  npm run cli -- trace ${s.examples.alert_id} ${db}`);
    lines.push(`  npm run cli -- trades ${db}`);
    lines.push(`  npm run cli -- serve ${db}`);
  }
  return lines.join('\n');
}
