import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EventRecord } from '../../shared/api';
import { errorText, getApi } from '../api';
import { displayZone, formatTimeIn, fromZoneInput } from '../display';
import { aggregateClass, eventTitle } from '../format';
import { href, type Route } from '../router';

export function Link({ to, children, class: cls, title }: { to: Route; children: ComponentChildren; class?: string; title?: string }) {
  return (
    <a href={href(to)} class={cls} title={title}>
      {children}
    </a>
  );
}

export function TypeBadge({ record }: { record: Pick<EventRecord, 'event_type' | 'aggregate_type'> & { corrupt?: true } }) {
  return (
    <span
      class={`badge ${aggregateClass(record.aggregate_type)}${record.corrupt ? ' badge-corrupt' : ''}`}
      title={eventTitle(record.event_type)}
    >
      {record.event_type}
    </span>
  );
}

export function AggregateChip({ type, id }: { type: string; id: string }) {
  return (
    <span class={`agg-chip ${aggregateClass(type)}`}>
      <span class="agg-chip-type">{type}</span>
      <span class="agg-chip-id">{id}</span>
    </span>
  );
}

export function CorruptFlag({ text }: { text: string }) {
  return (
    <span class="corrupt-flag" role="note" title={text}>
      ⚠ corrupt
    </span>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div class="state-msg" role="status">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function ErrorBox({ error }: { error: unknown }) {
  return (
    <div class="error-box" role="alert">
      {errorText(error)}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state-msg">{children}</div>;
}

export function Card({
  title,
  children,
  actions,
  class: cls,
}: {
  title?: ComponentChildren;
  children: ComponentChildren;
  actions?: ComponentChildren;
  class?: string;
}) {
  return (
    <section class={`card${cls ? ` ${cls}` : ''}`}>
      {(title || actions) && (
        <header class="card-head">
          {title && <h2>{title}</h2>}
          {actions && <div class="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}

export function Stat({ label, value, tone }: { label: string; value: ComponentChildren; tone?: 'good' | 'bad' | 'warn' }) {
  return (
    <div class={`stat${tone ? ` tone-${tone}` : ''}`}>
      <div class="stat-value">{value}</div>
      <div class="stat-label">{label}</div>
    </div>
  );
}

export type Async<T> = { state: 'loading' } | { state: 'error'; error: unknown } | { state: 'ready'; value: T };

/** Runs `load` whenever `deps` change; a stale answer never overwrites a newer one, nor shows for new deps. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const key = JSON.stringify(deps);
  const [result, setResult] = useState<{ key: string; value: Async<T> }>({ key, value: { state: 'loading' } });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setResult({ key, value: { state: 'ready', value } }),
      (error: unknown) => live && setResult({ key, value: { state: 'error', error } }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result.key === key ? result.value : { state: 'loading' };
}

/** A message that a bad address or filter was reset (dismissable). */
export function Notice({ children, onClose }: { children: ComponentChildren; onClose?: () => void }) {
  return (
    <div class="notice" role="status" id="notice">
      <span>{children}</span>
      {onClose && (
        <button type="button" class="btn ghost small" onClick={onClose} aria-label="Dismiss">
          ✕
        </button>
      )}
    </div>
  );
}

/**
 * Like useAsync, and also reloads when the bot writes (the service's data-change signal,
 * at most once per `throttleMs`), keeping the last answer on screen while it does: every
 * tab stays current without flashing "Loading…".
 */
export function useLive<T>(load: () => Promise<T>, deps: readonly unknown[], throttleMs = 1000): Async<T> & { refreshing: boolean } {
  const key = JSON.stringify(deps);
  // The answer remembers which deps it is for: a new key never shows the old key's answer, not even for one render.
  const [result, setResult] = useState<{ key: string; value: Async<T> }>({ key, value: { state: 'loading' } });
  const [tick, setTick] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = getApi().onDataChanged(() => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setTick((n) => n + 1);
      }, throttleMs);
    });
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [throttleMs]);
  useEffect(() => {
    let live = true;
    setRefreshing(true);
    load().then(
      (value) => live && (setResult({ key, value: { state: 'ready', value } }), setRefreshing(false)),
      (error: unknown) => live && (setResult({ key, value: { state: 'error', error } }), setRefreshing(false)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick]);
  const current: Async<T> = result.key === key ? result.value : { state: 'loading' };
  return Object.assign({}, current, { refreshing });
}

/** A number for people with its raw value one click away. */
export function Num({ text, raw, class: cls, id }: { text: string; raw: number | null | undefined; class?: string; id?: string }) {
  const [showRaw, setShowRaw] = useState(false);
  if (raw === null || raw === undefined)
    return (
      <span class={cls} id={id}>
        {text}
      </span>
    );
  return (
    <span
      class={`num${cls ? ` ${cls}` : ''}${showRaw ? ' raw' : ''}`}
      id={id}
      title={showRaw ? 'Click for the rounded value' : `Exact: ${raw} (click to show)`}
      data-raw={String(raw)}
      onClick={(e) => (e.stopPropagation(), setShowRaw((s) => !s))}
    >
      {showRaw ? String(raw) : text}
    </span>
  );
}

/**
 * A time typed as `2025-03-05 14:30[:00]` in the display zone, 24-hour (a native
 * datetime-local follows the browser's locale, 12-hour in en-US). Enter or leaving the field
 * applies it; an empty field clears it; what does not parse says so and is not applied.
 */
export function TimeInput({
  id,
  value,
  onChange,
  placeholder,
}: {
  id: string;
  value: number | undefined | null;
  onChange: (ms: number | undefined) => void;
  placeholder?: string;
}) {
  const shown = value === undefined || value === null ? '' : formatTimeIn(value, displayZone(), { zone: false });
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(shown);
    setBad(false);
  }, [shown]);
  const apply = () => {
    const t = text.trim();
    if (t === '') {
      setBad(false);
      if (value !== undefined && value !== null) onChange(undefined);
      return;
    }
    const ms = fromZoneInput(t.replace(' ', 'T'));
    if (ms === undefined) {
      setBad(true);
      return;
    }
    setBad(false);
    if (ms !== value) onChange(ms);
  };
  return (
    <input
      id={id}
      type="text"
      class={`time-input${bad ? ' invalid' : ''}`}
      inputMode="numeric"
      placeholder={placeholder ?? 'YYYY-MM-DD HH:MM'}
      size={19}
      value={text}
      title={bad ? 'Write the time as 2025-03-05 14:30 (24-hour, in the display zone)' : `24-hour, in ${displayZone().name}`}
      aria-invalid={bad}
      onInput={(e) => setText(e.currentTarget.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), apply())}
    />
  );
}
