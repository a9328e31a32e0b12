import type { EventQuery } from '../../shared/api';
import { getApi } from '../api';
import { Card, Empty, ErrorBox, Link, Loading, Stat, useLive } from '../components/common';
import { aggregateClass, formatBytes, formatTime } from '../format';

function Facets({
  title,
  counts,
  filterFor,
  colorFor,
}: {
  title: string;
  counts: Record<string, number>;
  filterFor: (key: string) => EventQuery;
  colorFor: (key: string) => string;
}) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <Card title={title}>
      <ul class="facets">
        {entries.map(([key, n]) => (
          <li key={key}>
            <Link
              to={{ view: 'events', filter: filterFor(key), selected: null }}
              class={`facet ${colorFor(key)}`}
              title={`Show ${key} events`}
            >
              <span class="facet-name">{key}</span>
              <span class="facet-bar">
                <span class="facet-fill" style={{ width: `${(n / max) * 100}%` }} />
              </span>
              <span class="facet-count mono">{n.toLocaleString('en-US')}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Card>
  );
}

const TYPE_PREFIX: [string, string][] = [
  ['ALERT_', 'alert'],
  ['SIGNAL_', 'signal'],
  ['ORDER_', 'order'],
  ['POSITION_', 'position'],
  ['STOP_', 'position'],
  ['TAKE_', 'position'],
  ['RISK_', 'risk'],
  ['DAILY_LOSS', 'risk'],
  ['CIRCUIT_', 'risk'],
  ['PORTFOLIO_', 'portfolio'],
  ['DAILY_PNL', 'portfolio'],
];
const typeColor = (type: string) => aggregateClass(TYPE_PREFIX.find(([p]) => type.startsWith(p))?.[1] ?? 'other');

export function StatsView() {
  const stats = useLive(() => getApi().stats(), []);
  if (stats.state === 'loading') return <Loading what="statistics" />;
  if (stats.state === 'error') return <ErrorBox error={stats.error} />;
  const s = stats.value;
  return (
    <div class="page">
      <header class="page-head">
        <h1>Statistics</h1>
        <p class="muted">Click a bar to browse those events.</p>
      </header>
      <div class="stats-row" id="stats-summary">
        <Stat label="Events" value={s.total.toLocaleString('en-US')} />
        <Stat label="Aggregates" value={s.aggregates.toLocaleString('en-US')} />
        <Stat label="Event types" value={Object.keys(s.byType).length} />
        <Stat label="Corrupt rows" value={s.corrupt} {...(s.corrupt > 0 ? { tone: 'bad' as const } : {})} />
        <Stat label="First event" value={s.firstAt === null ? '–' : formatTime(s.firstAt)} />
        <Stat label="Last event" value={s.lastAt === null ? '–' : formatTime(s.lastAt)} />
        <Stat label="File size" value={formatBytes(s.fileBytes)} />
      </div>
      {s.total === 0 && <Empty>This log has no events yet: the figures fill in as the bot writes.</Empty>}
      <div class="two-col">
        <Facets title="By event type" counts={s.byType} filterFor={(t) => ({ types: [t] })} colorFor={typeColor} />
        <Facets title="By aggregate type" counts={s.byAggregateType} filterFor={(t) => ({ aggregateType: t })} colorFor={aggregateClass} />
      </div>
    </div>
  );
}
