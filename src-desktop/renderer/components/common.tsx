import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EventRecord } from '../../shared/api';
import { errorText } from '../api';
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
    <span class={`badge ${aggregateClass(record.aggregate_type)}${record.corrupt ? ' badge-corrupt' : ''}`} title={eventTitle(record.event_type)}>
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

export function Card({ title, children, actions, class: cls }: { title?: ComponentChildren; children: ComponentChildren; actions?: ComponentChildren; class?: string }) {
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

/** Runs `load` whenever `deps` change; a stale answer never overwrites a newer one. */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [result, setResult] = useState<Async<T>>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    setResult({ state: 'loading' });
    load().then(
      (value) => live && setResult({ state: 'ready', value }),
      (error: unknown) => live && setResult({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result;
}
