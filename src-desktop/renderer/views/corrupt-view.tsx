import { useEffect, useState } from 'preact/hooks';
import type { CorruptEvent } from '../../shared/api';
import { getApi } from '../api';
import { AggregateChip, Card, Empty, ErrorBox, Link, Loading } from '../components/common';
import { formatTime } from '../format';

const PAGE = 100;

export function CorruptView() {
  const [rows, setRows] = useState<CorruptEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const load = (after?: number) => {
    setLoading(true);
    getApi()
      .corruptRows({ limit: PAGE, ...(after !== undefined ? { after } : {}) })
      .then((page) => {
        setRows((prev) => (after !== undefined ? [...prev, ...page.records] : page.records));
        setNext(page.next);
      }, setError)
      .finally(() => setLoading(false));
  };
  useEffect(() => load(), []);
  return (
    <div class="page">
      <header class="page-head">
        <h1>Corrupt rows</h1>
        <p class="muted">Rows whose payload or metadata is not a JSON object. They are shown as stored and skipped by replays.</p>
      </header>
      {error ? <ErrorBox error={error} /> : null}
      {!loading && rows.length === 0 && !error ? (
        <Empty>No corrupt rows. Every payload and metadata parses.</Empty>
      ) : (
        <Card>
          <table class="table" id="corrupt-table">
            <thead>
              <tr>
                <th>#</th>
                <th>Time</th>
                <th>Event</th>
                <th>Aggregate</th>
                <th>Problem</th>
                <th>Raw text</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.event_id} class="corrupt">
                  <td class="mono">{r.position}</td>
                  <td class="mono small">{formatTime(r.created_at)}</td>
                  <td>
                    <Link to={{ view: 'event', eventId: r.event_id }} class="mono">
                      {r.event_type}
                    </Link>
                  </td>
                  <td>
                    <AggregateChip type={r.aggregate_type} id={r.aggregate_id} />
                  </td>
                  <td>
                    {r.field}: {r.error}
                  </td>
                  <td>
                    <code class="raw-inline">{(r.field === 'payload' ? r.raw_payload : (r.raw_metadata ?? '')).slice(0, 80)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {loading && <Loading what="rows" />}
          {next !== null && !loading && (
            <button type="button" class="btn" onClick={() => load(next)}>
              Load more
            </button>
          )}
        </Card>
      )}
    </div>
  );
}
