import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { DiffChange, ReplayPageView as Replay, ReplayStepView } from '../../shared/api';
import { getApi } from '../api';
import { AggregateChip, Card, CorruptFlag, Empty, ErrorBox, Link, Loading, TypeBadge, useAsync } from '../components/common';
import { JsonView, type MarkKind } from '../components/json-view';
import { formatTime, summarize } from '../format';
import { displayZone, formatTimeIn } from '../display';

/** Steps per window: a replay of any length opens with one window's diffs. */
export const REPLAY_WINDOW = 200;
import { navigate } from '../router';

function short(value: unknown, path = ''): string {
  if (value === undefined) return '';
  // Epoch ms under a time key read as the time they name, in the display zone.
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value > 1e11 &&
    value < 1e14 &&
    /(_at|_time|until|since)(\[\d+\])?$/.test(path)
  )
    return formatTimeIn(value);
  // Float noise (0.1 + 0.2) is not information; the state below shows the exact value.
  const text = typeof value === 'number' && !Number.isInteger(value) ? String(Number(value.toPrecision(10))) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function Changes({ changes }: { changes: DiffChange[] }) {
  if (changes.length === 0) return <p class="muted">This event changed nothing in the state.</p>;
  return (
    <table class="changes">
      <tbody>
        {changes.map((c) => (
          <tr key={c.path} class={`chg-${c.kind}`}>
            <td class="chg-kind">{c.kind === 'added' ? '+' : c.kind === 'removed' ? '−' : '~'}</td>
            <td class="mono">{c.path.replace(/^\$\.?/, '') || '(state)'}</td>
            <td class="mono chg-values">
              {c.kind !== 'added' && <span class="chg-before">{short(c.before, c.path)}</span>}
              {c.kind === 'changed' && ' → '}
              {c.kind !== 'removed' && <span class="chg-after">{short(c.after, c.path)}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StepState({ replay, step, index }: { replay: Replay; step: ReplayStepView; index: number }) {
  const state = useAsync(
    () =>
      getApi().rebuild({ aggregateType: replay.aggregateType, aggregateId: replay.aggregateId, asOfSequence: step.event.sequence_number }),
    [replay.aggregateType, replay.aggregateId, step.event.sequence_number],
  );
  const marks = useMemo(() => new Map<string, MarkKind>(step.changes.map((c) => [c.path, c.kind])), [step]);
  return (
    <Card title={`State after step ${index + 1}`} class="state-card">
      {state.state === 'loading' && <Loading what="state" />}
      {state.state === 'error' && <ErrorBox error={state.error} />}
      {state.state === 'ready' && (
        <div id="replay-state">
          <JsonView value={state.value.state} marks={marks} />
        </div>
      )}
    </Card>
  );
}

function Stepper({ replay, index }: { replay: Replay; index: number }) {
  const last = replay.total - 1;
  const go = (i: number) =>
    navigate(
      { view: 'replay', aggregateType: replay.aggregateType, aggregateId: replay.aggregateId, step: Math.max(0, Math.min(last, i)) },
      true,
    );
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).closest('input:not([type=range]), select, textarea')) return;
      const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, l: index + 1, h: index - 1, Home: 0, End: last };
      const to = moves[e.key];
      if (to !== undefined) {
        e.preventDefault();
        go(to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    listRef.current?.querySelector('.current')?.scrollIntoView({ block: 'nearest' });
  }, [index]);
  // The step shown: this index, or the nearest one the window holds (a corrupt row has no step).
  const step =
    replay.steps.find((s) => s.index === index) ??
    replay.steps.reduce((a, b) => (Math.abs(b.index - index) < Math.abs(a.index - index) ? b : a));
  const windowEnd = replay.from + REPLAY_WINDOW;
  return (
    <div class="replay-grid">
      <Card title="Steps" class="steps-card">
        {replay.from > 0 && (
          <button type="button" class="btn ghost small" id="steps-earlier" onClick={() => go(replay.from - 1)}>
            ▲ steps 1–{replay.from}
          </button>
        )}
        <ol class="steps" ref={listRef} start={replay.from + 1}>
          {replay.steps.map((s) => (
            <li key={s.event.event_id} class={s.index === index ? 'current' : s.index > index ? 'future' : ''}>
              <button type="button" onClick={() => go(s.index)} title={`${summarize(s.event)} · ${formatTime(s.event.created_at)}`}>
                <span class="step-no">{s.index + 1}</span>
                <TypeBadge record={s.event} />
                <span class="step-time mono muted">{formatTimeIn(s.event.created_at, displayZone(), { zone: false }).slice(5)}</span>
                <span class="step-changes">{s.changes.length > 0 ? `${s.changes.length} Δ` : ''}</span>
              </button>
            </li>
          ))}
        </ol>
        {windowEnd < replay.total && (
          <button type="button" class="btn ghost small" id="steps-later" onClick={() => go(windowEnd)}>
            ▼ steps {(windowEnd + 1).toLocaleString('en-US')}–{replay.total.toLocaleString('en-US')}
          </button>
        )}
      </Card>
      <div class="replay-main">
        <div class="stepper" role="group" aria-label="Replay controls">
          <button type="button" class="btn" onClick={() => go(0)} disabled={index === 0} title="First (Home)">
            « First
          </button>
          <button type="button" class="btn" id="step-back" onClick={() => go(index - 1)} disabled={index === 0} title="Back (←)">
            ◀ Back
          </button>
          <input
            type="range"
            id="replay-slider"
            min={0}
            max={last}
            value={index}
            aria-label="Step"
            onInput={(e) => go(Number(e.currentTarget.value))}
          />
          <button type="button" class="btn" id="step-forward" onClick={() => go(index + 1)} disabled={index === last} title="Forward (→)">
            Forward ▶
          </button>
          <button type="button" class="btn" id="step-last" onClick={() => go(last)} disabled={index === last} title="Last (End)">
            Last »
          </button>
          <span class="step-count" id="step-count">
            Step {index + 1} / {replay.total}
          </span>
        </div>
        <Card
          title={
            <>
              <TypeBadge record={step.event} /> <span class="step-summary">{summarize(step.event)}</span>
            </>
          }
          actions={
            <Link to={{ view: 'event', eventId: step.event.event_id }} class="btn small">
              Open event
            </Link>
          }
        >
          <p class="muted">
            seq {step.event.sequence_number} · {formatTime(step.event.created_at)}
          </p>
          {step.anomaly && <div class="error-box">Not applied: {step.anomaly}</div>}
          <div id="replay-changes">
            <Changes changes={step.changes} />
          </div>
        </Card>
        <StepState replay={replay} step={step} index={step.index} />
      </div>
    </div>
  );
}

export function ReplayView({ aggregateType, aggregateId, step }: { aggregateType: string; aggregateId: string; step: number | null }) {
  // No step asked: the last window (the service clamps a start past the end to it).
  const from = step === null ? Number.MAX_SAFE_INTEGER : Math.floor(Math.max(0, step) / REPLAY_WINDOW) * REPLAY_WINDOW;
  const replay = useAsync(
    () => getApi().replayPage({ aggregateType, aggregateId, from, limit: REPLAY_WINDOW }),
    [aggregateType, aggregateId, from],
  );
  if (replay.state === 'loading') return <Loading what="replay" />;
  if (replay.state === 'error') return <ErrorBox error={replay.error} />;
  const value = replay.value;
  const index = Math.max(0, Math.min(value.total - 1, step ?? value.total - 1));
  const correlation = value.steps.find((s) => s.event.metadata.correlation_id)?.event.metadata.correlation_id ?? null;
  return (
    <div class="page">
      <header class="page-head">
        <h1>
          Replay <AggregateChip type={aggregateType} id={aggregateId} />
        </h1>
        <div class="actions">
          {aggregateType === 'position' && (
            <Link to={{ view: 'position', positionId: aggregateId }} class="btn">
              ∿ P&amp;L chart
            </Link>
          )}
          {correlation && (
            <Link to={{ view: 'trace', correlationId: correlation, eventId: null }} class="btn">
              ☰ Trade story
            </Link>
          )}
          <Link to={{ view: 'events', filter: { aggregateType, aggregateId }, selected: null }} class="btn ghost">
            All its events
          </Link>
        </div>
      </header>
      {value.corrupt.length > 0 && (
        <div class="error-box" role="alert">
          {value.corrupt.length} corrupt row{value.corrupt.length > 1 ? 's' : ''} in this aggregate could not be replayed (seq{' '}
          {value.corrupt.map((c) => c.sequence_number ?? '?').join(', ')}).
        </div>
      )}
      {!value.hasReducer ? (
        <Card title="Events">
          <p class="muted">No plugin registers a reducer for “{aggregateType}”, so there is no state to replay. Its events:</p>
          <ol class="plain-events">
            {value.events.map((e) => (
              <li key={e.event_id}>
                <Link to={{ view: 'event', eventId: e.event_id }} class="event-line">
                  <TypeBadge record={e} />
                  {'corrupt' in e && <CorruptFlag text={e.error} />}
                  <span class="event-line-text">{summarize(e)}</span>
                  <span class="muted mono">{formatTime(e.created_at)}</span>
                </Link>
              </li>
            ))}
          </ol>
        </Card>
      ) : value.steps.length === 0 ? (
        <Empty>
          <span id="replay-not-found">
            {aggregateType} “{aggregateId}” not found: this log has no events for it.
          </span>
        </Empty>
      ) : (
        <Stepper replay={value} index={index} />
      )}
    </div>
  );
}
