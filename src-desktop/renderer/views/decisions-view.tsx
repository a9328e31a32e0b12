import { useEffect, useRef, useState } from 'preact/hooks';
import type { BreakerTrip, DecisionAnalytics, DecisionBreakdown, DecisionsView as Decisions, TallySection, WhatIf } from '../../shared/api';
import { getApi } from '../api';
import { Card, Empty, ErrorBox, Link, Loading, Num, TypeBadge, useAsync, useLive } from '../components/common';
import { displayZone, formatMoney, formatNumber, formatTimeIn, zoneCaption } from '../display';
import { summarize } from '../format';
import { navigate } from '../router';

const time = (iso: string | null) => (iso === null ? '–' : formatTimeIn(iso, displayZone(), { zone: false }));

interface Picked {
  section: TallySection;
  key: string;
  ticker?: string;
  day?: string;
  title: string;
}

const SECTIONS: { section: TallySection; title: string; id: string; row: string }[] = [
  { section: 'by_decision', title: 'Alerts by decision', id: 'dec-decisions', row: 'Decision' },
  { section: 'by_skip_reason', title: 'Skipped alerts by reason', id: 'dec-skips', row: 'Reason' },
  { section: 'risk_failures', title: 'Risk-check failures by check', id: 'dec-risk', row: 'Check' },
  { section: 'rejections', title: 'Order rejections by reason', id: 'dec-rejections', row: 'Reason' },
];

/** Rows: the section's keys; columns: all, then each ticker (or day). Every count opens its events. */
function Matrix({
  d,
  section,
  by,
  title,
  id,
  rowLabel,
  pick,
}: {
  d: DecisionAnalytics;
  section: TallySection;
  by: 'ticker' | 'day';
  title: string;
  id: string;
  rowLabel: string;
  pick: (p: Picked) => void;
}) {
  const groups: Record<string, DecisionBreakdown> = by === 'ticker' ? d.by_ticker : d.by_day;
  const total = d[section];
  const keys = Object.keys(total).sort((a, b) => total[b]!.count - total[a]!.count);
  const columns = Object.keys(groups)
    .filter((g) => Object.keys(groups[g]![section]).length > 0)
    .sort();
  return (
    <Card title={title}>
      {keys.length === 0 ? (
        <Empty>None in this log.</Empty>
      ) : (
        <div class="table-scroll">
          <table class="table matrix" id={id}>
            <thead>
              <tr>
                <th>{rowLabel}</th>
                <th class="num">All</th>
                {columns.map((c) => (
                  <th key={c} class="num">
                    {by === 'day' ? c.slice(5) : c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k} data-key={k}>
                  <th>{k.replace(/_/g, ' ')}</th>
                  <td class="num">
                    <button type="button" class="count" data-group="all" onClick={() => pick({ section, key: k, title: `${title}: ${k}` })}>
                      {total[k]!.count.toLocaleString('en-US')}
                    </button>
                  </td>
                  {columns.map((c) => {
                    const n = groups[c]![section][k]?.count ?? 0;
                    return (
                      <td key={c} class="num">
                        {n === 0 ? (
                          <span class="muted">·</span>
                        ) : (
                          <button
                            type="button"
                            class="count"
                            data-group={c}
                            onClick={() =>
                              pick({ section, key: k, ...(by === 'ticker' ? { ticker: c } : { day: c }), title: `${title}: ${k}, ${c}` })
                            }
                          >
                            {n.toLocaleString('en-US')}
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

const PAGE = 50;

function EventsBehind({ picked, onClose }: { picked: Picked; onClose: () => void }) {
  const zone = displayZone();
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [picked]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior }), [picked]);
  const page = useAsync(
    () =>
      getApi().decisionEvents({
        section: picked.section,
        key: picked.key,
        zone: zone.name,
        offset,
        limit: PAGE,
        ...(picked.ticker ? { ticker: picked.ticker } : {}),
        ...(picked.day ? { day: picked.day } : {}),
      }),
    [JSON.stringify(picked), offset],
  );
  return (
    <div ref={box}>
      <Card
        title={picked.title}
        class="events-behind"
        actions={
          <button type="button" class="btn ghost small" onClick={onClose}>
            Close ✕
          </button>
        }
      >
        {page.state === 'loading' && <Loading what="events" />}
        {page.state === 'error' && <ErrorBox error={page.error} />}
        {page.state === 'ready' && (
          <>
            <p class="muted" id="behind-count">
              {page.value.total.toLocaleString('en-US')} event{page.value.total === 1 ? '' : 's'}
              {page.value.total > PAGE ? ` · ${offset + 1}–${Math.min(offset + PAGE, page.value.total)}` : ''} · {zoneCaption(zone)}
            </p>
            <ol class="plain-events" id="behind-events">
              {page.value.records.map((e) => (
                <li key={e.event_id}>
                  <Link to={{ view: 'event', eventId: e.event_id }} class="event-line">
                    <span class="muted mono">{formatTimeIn(e.created_at, zone, { zone: false })}</span>
                    <TypeBadge record={e} />
                    <span class="event-line-text">{summarize(e)}</span>
                  </Link>
                </li>
              ))}
            </ol>
            {page.value.total > PAGE && (
              <div class="actions">
                <button type="button" class="btn small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                  ◀ Earlier
                </button>
                <button
                  type="button"
                  class="btn small"
                  disabled={offset + PAGE >= page.value.total}
                  onClick={() => setOffset(offset + PAGE)}
                >
                  Later ▶
                </button>
              </div>
            )}
          </>
        )}
      </Card>
    </div>
  );
}

function Trips({ trips }: { trips: BreakerTrip[] }) {
  return (
    <Card title="Circuit-breaker trips: the losses that tripped it, what it then blocked">
      {trips.length === 0 ? (
        <Empty>The circuit breaker never tripped in this log.</Empty>
      ) : (
        <table class="table trips" id="breaker-trips">
          <thead>
            <tr>
              <th>Tripped ({displayZone().name})</th>
              <th>Reason</th>
              <th>Losses that tripped it</th>
              <th>Blocked while tripped</th>
              <th>Reset</th>
            </tr>
          </thead>
          <tbody>
            {trips.map((t) => (
              <tr key={t.trip.event_id} data-trip={t.trip.event_id}>
                <td class="mono">
                  <Link to={{ view: 'event', eventId: t.trip.event_id }}>{time(t.trip.at)}</Link>
                </td>
                <td>
                  {t.reason ?? '–'}
                  {t.until ? <div class="muted small">until {time(t.until)}</div> : null}
                </td>
                <td class="trip-losses">
                  {t.losses.length === 0 ? (
                    <span class="muted">–</span>
                  ) : (
                    <ul class="plain">
                      {t.losses.map((l) => (
                        <li key={l.event.event_id}>
                          <Link to={{ view: 'position', positionId: l.position_id }}>{l.position_id}</Link> {l.ticker ?? ''}{' '}
                          <Num class="neg" text={formatMoney(l.net_pnl, { sign: 'always' })} raw={l.net_pnl} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td class="trip-blocked">
                  {t.blocked.length === 0 ? (
                    <span class="muted">nothing</span>
                  ) : (
                    <ul class="plain">
                      {t.blocked.map((b) => (
                        <li key={b.event.event_id}>
                          <Link to={{ view: 'event', eventId: b.event.event_id }}>{b.subject ?? b.event.aggregate_id}</Link>{' '}
                          {b.ticker ?? ''} <span class="muted">({b.check.replace(/_/g, ' ')})</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td class="mono">{t.reset ? <Link to={{ view: 'event', eventId: t.reset.event_id }}>{time(t.reset.at)}</Link> : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function WhatIfCard({ whatIf, threshold, by }: { whatIf: WhatIf | null; threshold: number | null; by: 'ticker' | 'day' }) {
  const [draft, setDraft] = useState(threshold === null ? '' : String(threshold));
  useEffect(() => setDraft(threshold === null ? '' : String(threshold)), [threshold]);
  const opened = whatIf ? whatIf.flips.filter((f) => f.would_be === 'skip' && f.trades.length > 0).length : 0;
  const apply = () => {
    const n = draft.trim() === '' ? null : Number(draft);
    navigate({ view: 'decisions', by, threshold: n !== null && Number.isFinite(n) ? n : null }, true);
  };
  return (
    <Card title="What if the score threshold had been different?">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label class="field">
          <span>Score threshold</span>
          <input
            id="whatif-threshold"
            type="number"
            step="0.01"
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
            placeholder="e.g. 0.7"
          />
        </label>
        <button type="submit" class="btn" id="whatif-run">
          Replay the decisions
        </button>
        {whatIf && (
          <span class="muted">
            recorded threshold(s): {whatIf.recorded_thresholds.map((t) => formatNumber(t, { decimals: 2 })).join(', ') || '–'}
          </span>
        )}
      </form>
      {whatIf && (
        <>
          <p id="whatif-summary">
            At {formatNumber(whatIf.threshold, { decimals: 2 })}: <strong>{whatIf.flips.length}</strong> decision
            {whatIf.flips.length === 1 ? '' : 's'} would flip — <strong>{whatIf.would_not_trade}</strong> trade decision
            {whatIf.would_not_trade === 1 ? '' : 's'} would become skips, <strong id="whatif-positions">{opened}</strong> of which opened
            positions (their net P&amp;L{' '}
            <Num
              class={whatIf.their_net_pnl >= 0 ? 'pos' : 'neg'}
              text={formatMoney(whatIf.their_net_pnl, { sign: 'always' })}
              raw={whatIf.their_net_pnl}
            />
            , avoided or forgone); <strong>{whatIf.would_trade}</strong> skipped alert
            {whatIf.would_trade === 1 ? '' : 's'} would have traded (outcome unknown: they never did).
          </p>
          {whatIf.flips.length > 0 && (
            <div class="table-scroll short">
              <table class="table" id="whatif-flips">
                <thead>
                  <tr>
                    <th>Alert</th>
                    <th>Ticker</th>
                    <th>Decided ({displayZone().name})</th>
                    <th class="num">Score</th>
                    <th>Recorded</th>
                    <th>Would be</th>
                    <th>Outcome of its trades</th>
                  </tr>
                </thead>
                <tbody>
                  {whatIf.flips.map((f) => (
                    <tr key={f.alert_id}>
                      <td>
                        <Link to={{ view: 'event', eventId: f.decision_event.event_id }} class="mono">
                          {f.alert_id}
                        </Link>
                      </td>
                      <td>{f.ticker ?? '–'}</td>
                      <td class="mono">{time(f.at)}</td>
                      <td class="num">{formatNumber(f.score, { decimals: 2 })}</td>
                      <td>
                        {f.recorded_decision}
                        {f.reason_code ? <span class="muted"> ({f.reason_code.replace(/_/g, ' ')})</span> : null}
                      </td>
                      <td>
                        <strong>{f.would_be}</strong>
                      </td>
                      <td>
                        {f.trades.length === 0
                          ? '–'
                          : f.trades.map((t) => (
                              <span key={t.position_id} class="flip-trade">
                                <Link to={{ view: 'position', positionId: t.position_id }}>{t.position_id}</Link>{' '}
                                <Num
                                  class={t.net_pnl >= 0 ? 'pos' : 'neg'}
                                  text={formatMoney(t.net_pnl, { sign: 'always' })}
                                  raw={t.net_pnl}
                                />{' '}
                                {t.exit_reason ?? t.status}{' '}
                              </span>
                            ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

export function DecisionsView({ by, threshold }: { by: 'ticker' | 'day'; threshold: number | null }) {
  const zone = displayZone();
  const data = useLive<Decisions>(
    () => getApi().decisions({ zone: zone.name, ...(threshold !== null ? { threshold } : {}) }),
    [threshold, zone.name],
  );
  const [picked, setPicked] = useState<Picked | null>(null);
  if (data.state === 'loading') return <Loading what="decisions" />;
  if (data.state === 'error') return <ErrorBox error={data.error} />;
  const d = data.value.decisions;
  return (
    <div class="page wide">
      <header class="page-head">
        <h1>Decisions</h1>
        <p class="muted">
          {d.alerts.toLocaleString('en-US')} alerts · click a count for the events behind it · days in {d.day_zone}
        </p>
        <div class="seg" role="group" aria-label="Break down by">
          <button
            type="button"
            id="by-ticker"
            class={by === 'ticker' ? 'on' : ''}
            onClick={() => navigate({ view: 'decisions', by: 'ticker', threshold }, true)}
          >
            Per ticker
          </button>
          <button
            type="button"
            id="by-day"
            class={by === 'day' ? 'on' : ''}
            onClick={() => navigate({ view: 'decisions', by: 'day', threshold }, true)}
          >
            Per day
          </button>
        </div>
      </header>
      {d.alerts === 0 && Object.keys(d.risk_failures).length === 0 && Object.keys(d.rejections).length === 0 ? (
        <Empty>No decisions in this log yet: alerts, risk checks and rejections are counted here as the bot records them.</Empty>
      ) : (
        <>
          {picked && <EventsBehind picked={picked} onClose={() => setPicked(null)} />}
          <div class="two-col">
            {SECTIONS.slice(0, 2).map((s) => (
              <Matrix key={s.section} d={d} section={s.section} by={by} title={s.title} id={s.id} rowLabel={s.row} pick={setPicked} />
            ))}
          </div>
          <div class="two-col">
            {SECTIONS.slice(2).map((s) => (
              <Matrix key={s.section} d={d} section={s.section} by={by} title={s.title} id={s.id} rowLabel={s.row} pick={setPicked} />
            ))}
          </div>
          <Trips trips={d.breaker_trips} />
          <WhatIfCard whatIf={data.value.whatIf} threshold={threshold} by={by} />
        </>
      )}
    </div>
  );
}
