import type { ComponentChildren } from 'preact';
import type { CorruptEvent, EventDetail, EventRecord, StoredEvent } from '../../shared/api';
import { getApi } from '../api';
import { AggregateChip, Card, CorruptFlag, ErrorBox, Link, Loading, TypeBadge, useAsync } from '../components/common';
import { JsonView } from '../components/json-view';
import { formatTime, shortId, summarize } from '../format';

function EventLine({ record }: { record: EventRecord }) {
  return (
    <Link to={{ view: 'event', eventId: record.event_id }} class="event-line">
      <TypeBadge record={record} />
      <span class="event-line-text">{summarize(record)}</span>
      <span class="muted mono">{formatTime(record.created_at)}</span>
    </Link>
  );
}

function MetaRow({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function StoredDetail({ detail, record }: { detail: EventDetail; record: StoredEvent }) {
  const m = record.metadata;
  const isPosition = record.aggregate_type === 'position';
  return (
    <>
      <dl class="meta-grid">
        <MetaRow label="Event id">
          <code class="selectable">{record.event_id}</code>
        </MetaRow>
        <MetaRow label="Aggregate">
          <Link
            to={{
              view: 'events',
              filter: { aggregateType: record.aggregate_type, aggregateId: record.aggregate_id },
              selected: record.event_id,
            }}
          >
            <AggregateChip type={record.aggregate_type} id={record.aggregate_id} />
          </Link>
        </MetaRow>
        <MetaRow label="Sequence">
          {record.sequence_number} of {detail.aggregateVersion}
        </MetaRow>
        <MetaRow label="Time">
          {formatTime(record.created_at)} <span class="muted">({new Date(record.created_at).toISOString()})</span>
        </MetaRow>
        <MetaRow label="Position">#{record.position}</MetaRow>
        <MetaRow label="Correlation">
          {m.correlation_id ? (
            <Link to={{ view: 'trace', correlationId: m.correlation_id, eventId: null }} title="Open the trade story">
              <code>{m.correlation_id}</code>
            </Link>
          ) : (
            <span class="muted">none</span>
          )}
        </MetaRow>
        <MetaRow label="Caused by">
          {m.causation_id ? (
            <Link to={{ view: 'event', eventId: m.causation_id }}>
              <code>{shortId(m.causation_id)}</code>
            </Link>
          ) : (
            <span class="muted">none (start of a chain)</span>
          )}
        </MetaRow>
        <MetaRow label="Source">{m.source}</MetaRow>
        {m.user_id && <MetaRow label="User">{m.user_id}</MetaRow>}
        <MetaRow label="Schema">v{m.version}</MetaRow>
      </dl>
      <div class="actions">
        {detail.replayable && (
          <Link
            to={{
              view: 'replay',
              aggregateType: record.aggregate_type,
              aggregateId: record.aggregate_id,
              step: record.sequence_number - 1,
            }}
            class="btn"
          >
            ▶ Replay {record.aggregate_type} at this step
          </Link>
        )}
        {m.correlation_id && (
          <Link to={{ view: 'trace', correlationId: m.correlation_id, eventId: null }} class="btn">
            ☰ Trade story ({detail.correlationSize} events)
          </Link>
        )}
        {isPosition && (
          <Link to={{ view: 'position', positionId: record.aggregate_id }} class="btn">
            ∿ P&amp;L chart
          </Link>
        )}
      </div>
      {(detail.cause || detail.effects.length > 0) && (
        <div class="causality">
          {detail.cause && (
            <div>
              <h3>Caused by</h3>
              <EventLine record={detail.cause} />
            </div>
          )}
          {detail.effects.length > 0 && (
            <div>
              <h3>Led to</h3>
              {detail.effects.map((e) => (
                <EventLine key={e.event_id} record={e} />
              ))}
            </div>
          )}
        </div>
      )}
      <h3>Payload</h3>
      <JsonView value={record.payload} />
      <details class="raw-meta">
        <summary>Metadata JSON</summary>
        <JsonView value={record.metadata} />
      </details>
    </>
  );
}

function CorruptDetail({ record }: { record: CorruptEvent }) {
  return (
    <>
      <div class="error-box" role="alert">
        This row's <b>{record.field}</b> is not valid JSON ({record.error}). It is shown as stored; nothing was repaired.
      </div>
      <dl class="meta-grid">
        <MetaRow label="Event id">
          <code class="selectable">{record.event_id}</code>
        </MetaRow>
        <MetaRow label="Aggregate">
          <AggregateChip type={record.aggregate_type} id={record.aggregate_id} />
        </MetaRow>
        <MetaRow label="Sequence">{record.sequence_number ?? '–'}</MetaRow>
        <MetaRow label="Time">{formatTime(record.created_at)}</MetaRow>
        <MetaRow label="Position">#{record.position}</MetaRow>
      </dl>
      <h3>Raw payload</h3>
      <pre class="raw">{record.raw_payload}</pre>
      <h3>Raw metadata</h3>
      <pre class="raw">{record.raw_metadata ?? 'NULL'}</pre>
    </>
  );
}

export function EventDetailBody({ eventId }: { eventId: string }) {
  const detail = useAsync(() => getApi().eventDetail({ eventId }), [eventId]);
  if (detail.state === 'loading') return <Loading what="event" />;
  if (detail.state === 'error') return <ErrorBox error={detail.error} />;
  if (!detail.value) return <ErrorBox error={new Error(`Event ${eventId} not found in this log.`)} />;
  const { record } = detail.value;
  return (
    <div class="event-detail" data-event-id={record.event_id}>
      <header class="detail-head">
        <TypeBadge record={record} />
        {'corrupt' in record && <CorruptFlag text={record.error} />}
        <p class="detail-summary">{summarize(record)}</p>
      </header>
      {'corrupt' in record ? <CorruptDetail record={record} /> : <StoredDetail detail={detail.value} record={record} />}
    </div>
  );
}

export function EventDetailView({ eventId }: { eventId: string }) {
  return (
    <div class="page narrow">
      <Card title="Event">
        <EventDetailBody eventId={eventId} />
      </Card>
    </div>
  );
}
