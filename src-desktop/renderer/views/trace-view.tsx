import { useState } from 'preact/hooks';
import type { EventRecord, StoredEvent } from '../../shared/api';
import { getApi } from '../api';
import { zoneCaption } from '../display';
import { AggregateChip, Card, CorruptFlag, Empty, ErrorBox, Link, Loading, Stat, TypeBadge, useAsync } from '../components/common';
import { aggregateClass, eventTitle, formatClock, formatDuration, formatMoney, formatNumber, formatTime, summarize } from '../format';

/** Long runs of price ticks fold into one line, so the story stays a story. */
const FOLD_RUN = 4;

type Item = { kind: 'event'; record: EventRecord } | { kind: 'run'; records: StoredEvent[] };

function group(records: EventRecord[]): Item[] {
  const items: Item[] = [];
  let run: StoredEvent[] = [];
  const flush = () => {
    if (run.length >= FOLD_RUN) items.push({ kind: 'run', records: run });
    else for (const r of run) items.push({ kind: 'event', record: r });
    run = [];
  };
  for (const record of records) {
    if (!('corrupt' in record) && record.event_type === 'POSITION_PRICE_UPDATED') {
      run.push(record);
      continue;
    }
    flush();
    items.push({ kind: 'event', record });
  }
  flush();
  return items;
}

/** The last event of a type: a decision revisited (wait, then trade) reads as its outcome. */
function payloadOf(records: EventRecord[], type: string): Record<string, unknown> | null {
  const found = records.findLast((r) => r.event_type === type && !('corrupt' in r));
  return found && !('corrupt' in found) ? found.payload : null;
}

function Summary({ records }: { records: EventRecord[] }) {
  const alert = payloadOf(records, 'ALERT_RECEIVED');
  const decision = payloadOf(records, 'ALERT_DECISION_MADE');
  const signal = payloadOf(records, 'SIGNAL_GENERATED');
  const filled = records.find((r) => r.event_type === 'ORDER_FILLED' && !('corrupt' in r));
  const rejected = payloadOf(records, 'ORDER_REJECTED');
  const closed = payloadOf(records, 'POSITION_CLOSED');
  const ticker = alert?.ticker ?? signal?.ticker ?? closed?.ticker;
  const first = records[0];
  const last = records.at(-1);
  const pnl = typeof closed?.realized_pnl === 'number' ? closed.realized_pnl : null;
  return (
    <div class="stats-row" id="trace-summary">
      <Stat label="Ticker" value={typeof ticker === 'string' ? ticker : '–'} />
      <Stat label="Decision" value={typeof decision?.decision === 'string' ? decision.decision : '–'} />
      <Stat
        label="Entry fill"
        value={
          filled && !('corrupt' in filled)
            ? `${formatNumber(filled.payload.filled_quantity)} @ ${formatNumber(filled.payload.filled_price)}`
            : rejected
              ? 'rejected'
              : '–'
        }
        {...(rejected && !filled ? { tone: 'bad' as const } : {})}
      />
      <Stat label="Exit" value={closed ? `${String(closed.exit_reason)} @ ${formatNumber(closed.exit_price)}` : 'open'} />
      <Stat
        label="Realized P&L"
        value={formatMoney(pnl)}
        {...(pnl !== null ? { tone: pnl >= 0 ? ('good' as const) : ('bad' as const) } : {})}
      />
      <Stat label="Events" value={records.length} />
      {first && last && <Stat label="Alert to last event" value={formatDuration(last.created_at - first.created_at)} />}
    </div>
  );
}

/** A timeline row's clock time, offset from the trace's start, and its dot. */
function TimeAndDot({ at, start }: { at: number; start: number }) {
  return (
    <>
      <div class="tl-time mono">
        <div>{formatClock(at)}</div>
        <div class="muted">+{formatDuration(at - start)}</div>
      </div>
      <div class="tl-dot" aria-hidden="true" />
    </>
  );
}

function TimelineEvent({ record, start, previousId }: { record: EventRecord; start: number; previousId: string | null }) {
  const corrupt = 'corrupt' in record;
  const cause = corrupt ? null : record.metadata.causation_id;
  return (
    <li class={`tl-item ${aggregateClass(record.aggregate_type)}${corrupt ? ' corrupt' : ''}`} data-event-type={record.event_type}>
      <TimeAndDot at={record.created_at} start={start} />
      <div class="tl-body">
        <div class="tl-title">
          <TypeBadge record={record} />
          <span class="tl-name">{eventTitle(record.event_type)}</span>
          {corrupt && <CorruptFlag text={record.error} />}
          <AggregateChip type={record.aggregate_type} id={record.aggregate_id} />
          <span class="spacer" />
          {cause && cause !== previousId && (
            <Link to={{ view: 'event', eventId: cause }} class="tl-link">
              ↳ caused by an earlier event
            </Link>
          )}
          <Link to={{ view: 'event', eventId: record.event_id }} class="tl-link">
            details
          </Link>
        </div>
        <div class="tl-text">{summarize(record)}</div>
      </div>
    </li>
  );
}

function PriceRun({ records, start }: { records: StoredEvent[]; start: number }) {
  const [open, setOpen] = useState(false);
  const first = records[0]!;
  const last = records.at(-1)!;
  if (open) {
    return (
      <>
        {records.map((r, i) => (
          <TimelineEvent key={r.event_id} record={r} start={start} previousId={i > 0 ? records[i - 1]!.event_id : null} />
        ))}
      </>
    );
  }
  return (
    <li class="tl-item agg-position tl-run">
      <TimeAndDot at={first.created_at} start={start} />
      <div class="tl-body">
        <button type="button" class="link-btn" onClick={() => setOpen(true)}>
          {records.length} price updates over {formatDuration(last.created_at - first.created_at)}:{' '}
          {formatNumber(first.payload.old_price ?? first.payload.new_price)} → {formatNumber(last.payload.new_price)}, unrealized{' '}
          {formatMoney(last.payload.new_unrealized_pnl)} — show all
        </button>
      </div>
    </li>
  );
}

export function TraceView({ correlationId, eventId }: { correlationId: string | null; eventId: string | null }) {
  const trace = useAsync(
    () =>
      correlationId || eventId
        ? getApi().trace(correlationId ? { correlationId } : { eventId: eventId! })
        : Promise.resolve({ correlationId: null, records: [] }),
    [correlationId, eventId],
  );
  if (trace.state === 'loading') return <Loading what="trade story" />;
  if (trace.state === 'error') return <ErrorBox error={trace.error} />;
  const { records } = trace.value;
  const start = records[0]?.created_at ?? 0;
  const items = group(records);
  const position = records.find((r) => r.aggregate_type === 'position');
  return (
    <div class="page">
      <header class="page-head">
        <h1>
          Trade story <code class="muted">{trace.value.correlationId ?? 'no correlation id'}</code>
        </h1>
        <span class="muted small" id="trace-zone">
          {zoneCaption()}
        </span>
        <div class="actions">
          {position && (
            <>
              <Link to={{ view: 'position', positionId: position.aggregate_id }} class="btn">
                ∿ P&amp;L chart
              </Link>
              <Link to={{ view: 'replay', aggregateType: 'position', aggregateId: position.aggregate_id, step: null }} class="btn">
                ▶ Replay position
              </Link>
            </>
          )}
          {trace.value.correlationId && (
            <Link to={{ view: 'events', filter: { correlationId: trace.value.correlationId }, selected: null }} class="btn ghost">
              As a list
            </Link>
          )}
        </div>
      </header>
      {records.length === 0 ? (
        <Empty>No events carry this correlation id.</Empty>
      ) : (
        <>
          <Summary records={records} />
          <Card title={`From ${formatTime(start)}`}>
            <ol class="timeline" id="trace-timeline">
              {items.map((item, i) => {
                const prev = items[i - 1];
                const previousId = prev ? (prev.kind === 'event' ? prev.record.event_id : prev.records.at(-1)!.event_id) : null;
                return item.kind === 'event' ? (
                  <TimelineEvent key={item.record.event_id} record={item.record} start={start} previousId={previousId} />
                ) : (
                  <PriceRun key={item.records[0]!.event_id} records={item.records} start={start} />
                );
              })}
            </ol>
          </Card>
        </>
      )}
    </div>
  );
}
