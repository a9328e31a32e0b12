import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AggregateRow } from '../../shared/api';
import { getApi } from '../api';
import { Card, Empty, ErrorBox, Link, Loading, useLive } from '../components/common';
import { aggregateClass, formatTime } from '../format';
import { navigate } from '../router';

const PAGE = 100;

function statusClass(status: string | null): string {
  if (!status) return '';
  if (/closed|filled|executed|passed|reset/.test(status)) return 'st-done';
  if (/reject|fail|exceed|cancel|expire|tripped|triggered/.test(status)) return 'st-bad';
  return 'st-open';
}

export function AggregatesView({ aggregateType }: { aggregateType: string | null }) {
  const api = getApi();
  // Live: the statistics reload when the bot writes, and with them the first page of the list.
  const stats = useLive(() => api.stats(), []);
  const total = stats.state === 'ready' ? stats.value.total : null;
  const types = stats.state === 'ready' ? Object.keys(stats.value.byAggregateType).sort() : [];
  const type = aggregateType ?? (types.includes('position') ? 'position' : (types[0] ?? null));
  const [rows, setRows] = useState<AggregateRow[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(
    (afterId?: string) => {
      if (!type) {
        setLoading(false);
        return;
      }
      setLoading(true);
      api.aggregates({ aggregateType: type, limit: PAGE, ...(afterId ? { afterId } : {}) }).then(
        (page) => {
          setRows((prev) => (afterId ? [...prev, ...page] : page));
          setMore(page.length === PAGE);
          setLoading(false);
        },
        (e: unknown) => {
          setError(e);
          setLoading(false);
        },
      );
    },
    [api, type],
  );
  useEffect(() => {
    setError(null);
    load();
  }, [load, total]);

  if (stats.state === 'loading') return <Loading what="aggregates" />;
  if (stats.state === 'error') return <ErrorBox error={stats.error} />;
  return (
    <div class="page">
      <header class="page-head">
        <h1>Aggregates</h1>
        <div class="seg" role="tablist" aria-label="Aggregate type">
          {types.map((t) => (
            <button
              type="button"
              role="tab"
              key={t}
              aria-selected={t === type}
              class={t === type ? 'on' : ''}
              onClick={() => navigate({ view: 'aggregates', aggregateType: t })}
            >
              {t}
            </button>
          ))}
        </div>
      </header>
      {error ? <ErrorBox error={error} /> : null}
      {type === null ? (
        <Empty>This log has no events yet: aggregates appear here as the bot writes.</Empty>
      ) : (
        <Card>
          <table class="table" id="aggregates-table">
            <thead>
              <tr>
                <th>Id</th>
                <th>Status</th>
                <th>Version</th>
                <th>Last event</th>
                <th>First</th>
                <th>Last</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.aggregate_id}>
                  <td>
                    <Link
                      to={{ view: 'replay', aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, step: null }}
                      class={`mono ${aggregateClass(r.aggregate_type)}-text`}
                    >
                      {r.aggregate_id}
                    </Link>
                  </td>
                  <td>{r.status ? <span class={`status ${statusClass(r.status)}`}>{r.status}</span> : <span class="muted">–</span>}</td>
                  <td class="mono">{r.version}</td>
                  <td class="mono small">{r.last_event_type}</td>
                  <td class="mono small">{formatTime(r.first_at)}</td>
                  <td class="mono small">{formatTime(r.last_at)}</td>
                  <td class="row-actions">
                    {r.aggregate_type === 'position' && <Link to={{ view: 'position', positionId: r.aggregate_id }}>P&amp;L</Link>}{' '}
                    <Link to={{ view: 'events', filter: { aggregateType: r.aggregate_type, aggregateId: r.aggregate_id }, selected: null }}>
                      events
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {loading && <Loading what="aggregates" />}
          {more && !loading && (
            <button type="button" class="btn" onClick={() => load(rows.at(-1)?.aggregate_id)}>
              Load more
            </button>
          )}
        </Card>
      )}
    </div>
  );
}
