import { useEffect, useState } from 'preact/hooks';
import type { DataChange, RecentFile, ViewerInfo } from '../shared/api';
import { errorText, getApi } from './api';
import { ErrorBox, Loading, Notice } from './components/common';
import { displayZone, setDisplayZone } from './display';
import { href, navigate, noticeOf, useRoute, type Route } from './router';
import { applyTheme, loadTheme, type ThemeChoice } from './theme';
import { AggregatesView } from './views/aggregates-view';
import { CorruptView } from './views/corrupt-view';
import { EventDetailView } from './views/event-detail';
import { EventsView } from './views/events-view';
import { PnlView } from './views/pnl-view';
import { ReplayView } from './views/replay-view';
import { StatsView } from './views/stats-view';
import { TraceView } from './views/trace-view';
import { BookView } from './views/book-view';
import { DecisionsView } from './views/decisions-view';
import { PerformanceView } from './views/performance-view';
import { TradesView } from './views/trades-view';

const TABS: { label: string; key: string; route: Route; views: Route['view'][] }[] = [
  { label: 'Events', key: '1', route: { view: 'events', filter: {}, selected: null }, views: ['events', 'event', 'trace'] },
  { label: 'Trades', key: '2', route: { view: 'trades', query: {} }, views: ['trades', 'position'] },
  { label: 'Performance', key: '3', route: { view: 'performance' }, views: ['performance'] },
  { label: 'Book', key: '4', route: { view: 'book', asOf: null }, views: ['book'] },
  { label: 'Decisions', key: '5', route: { view: 'decisions', by: 'ticker', threshold: null }, views: ['decisions'] },
  { label: 'Aggregates', key: '6', route: { view: 'aggregates', aggregateType: null }, views: ['aggregates', 'replay'] },
  { label: 'Stats', key: '7', route: { view: 'stats' }, views: ['stats'] },
  { label: 'Corrupt', key: '8', route: { view: 'corrupt' }, views: ['corrupt'] },
];

/** Zones offered in the setting, plus the browser's own and the current one. */
const ZONES = ['UTC', 'America/New_York', 'America/Chicago', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo'];

const SHORTCUTS: [string, string][] = [
  ['/', 'Search the payload text'],
  ['↑ ↓ or j k', 'Move through events'],
  ['Enter', 'Open the selected event'],
  ['Esc', 'Clear the selection / close this help'],
  ['← → Home End', 'Step a replay'],
  ['1 … 8', 'Events, trades, performance, book, decisions, aggregates, stats, corrupt rows'],
  ['Backspace', 'Back'],
  ['t', 'Cycle light / dark / system theme'],
  ['?', 'This help'],
];

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'events':
      return <EventsView filter={route.filter} selected={route.selected} />;
    case 'event':
      return <EventDetailView eventId={route.eventId} />;
    case 'replay':
      return <ReplayView aggregateType={route.aggregateType} aggregateId={route.aggregateId} step={route.step} />;
    case 'position':
      return <PnlView positionId={route.positionId} />;
    case 'trace':
      return <TraceView correlationId={route.correlationId} eventId={route.eventId} />;
    case 'aggregates':
      return <AggregatesView aggregateType={route.aggregateType} />;
    case 'stats':
      return <StatsView />;
    case 'corrupt':
      return <CorruptView />;
    case 'trades':
      return <TradesView query={route.query} />;
    case 'performance':
      return <PerformanceView />;
    case 'book':
      return <BookView asOf={route.asOf} />;
    case 'decisions':
      return <DecisionsView by={route.by} threshold={route.threshold} />;
  }
}

/** The display zone: UTC unless the trader picks another; every time in the viewer follows it. */
function ZonePicker({ onChange }: { onChange: () => void }) {
  const zone = displayZone();
  const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const options = [...new Set([...ZONES, browser, zone.name])];
  return (
    <label class="zone-picker small" title="Display time zone: every time shown is in this zone and names it">
      <span class="muted">Times in</span>
      <select
        id="zone-select"
        class="small"
        value={zone.name}
        onChange={(e) => {
          setDisplayZone(e.currentTarget.value);
          onChange();
        }}
      >
        {options.map((z) => (
          <option key={z} value={z}>
            {z}
          </option>
        ))}
      </select>
    </label>
  );
}

function OpenFile({ onOpened }: { onOpened: (info: ViewerInfo) => void }) {
  const api = getApi();
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.recentFiles().then(setRecent, () => setRecent([]));
  }, [api]);
  const open = (p: Promise<ViewerInfo | null>) =>
    p.then(
      (info) => {
        if (info) onOpened(info);
      },
      (e: unknown) => setError(errorText(e)),
    );
  return (
    <div class="menu">
      <button type="button" class="btn small" onClick={() => open(api.openFile())}>
        Open…
      </button>
      {recent.length > 0 && (
        <select
          class="small"
          aria-label="Recent files"
          value=""
          onChange={(e) => e.currentTarget.value && open(api.openRecent({ path: e.currentTarget.value }))}
        >
          <option value="">Recent…</option>
          {recent.map((r) => (
            <option key={r.path} value={r.path}>
              {r.path}
            </option>
          ))}
        </select>
      )}
      {error && <span class="error-inline">{error}</span>}
    </div>
  );
}

export function App() {
  const route = useRoute();
  const [info, setInfo] = useState<ViewerInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [epoch, setEpoch] = useState(0);
  const [live, setLive] = useState<DataChange | null>(null);
  const [help, setHelp] = useState(false);
  const [theme, setTheme] = useState<ThemeChoice>(loadTheme());
  const [zoneKey, setZoneKey] = useState(displayZone().name);
  const notice = noticeOf(route);
  const hash = location.hash;
  // An address the viewer could not use: show the clean one, keeping the message.
  useEffect(() => {
    if (notice && href(route) !== hash) navigate(route, true, notice);
  }, [notice, route, hash]);

  useEffect(() => {
    getApi().info().then(setInfo, setInfoError);
  }, [epoch]);
  useEffect(() => getApi().onDataChanged(setLive), [epoch]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const inField = (e.target as HTMLElement).closest('input, select, textarea');
      if (e.key === 'Escape' && help) {
        setHelp(false);
        return;
      }
      if (inField) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.key === '/') {
        e.preventDefault();
        if (route.view !== 'events') navigate({ view: 'events', filter: {}, selected: null });
        setTimeout(() => document.getElementById('filter-text')?.focus(), 0);
      } else if (e.key === '?') {
        setHelp((h) => !h);
      } else if (e.key === 't') {
        const next: ThemeChoice = theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system';
        applyTheme(next);
        setTheme(next);
      } else if (e.key === 'Backspace') {
        history.back();
      } else {
        const tab = TABS.find((t) => t.key === e.key);
        if (tab) navigate(tab.route);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const chooseTheme = (next: ThemeChoice) => {
    applyTheme(next);
    setTheme(next);
  };

  if (infoError) {
    // Electron starts without a file when none was given: offer to open one.
    if (String((infoError as Error)?.message ?? '').startsWith('NO_FILE')) {
      return (
        <div class="welcome">
          <h1>
            <span class="logo">◆</span> Catalyst Events
          </h1>
          <p class="muted">Open a bot's event log (SQLite). It is opened read-only and can be open in the bot at the same time.</p>
          <OpenFile
            onOpened={(next) => {
              setInfoError(null);
              setInfo(next);
              setEpoch((n) => n + 1);
            }}
          />
        </div>
      );
    }
    return <ErrorBox error={infoError} />;
  }
  if (!info) return <Loading what="log" />;
  return (
    <div class="app" key={epoch}>
      <header class="topbar">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Catalyst Events
        </div>
        <div class="file" title={info.file}>
          <span class="file-name">{info.fileName}</span>
          <span class="pill">read-only</span>
          <span class="muted small" id="head-position">
            {(live?.head ?? info.head).toLocaleString('en-US')} events
          </span>
          {live && <span class="live-dot" title="New events are arriving" />}
        </div>
        <nav class="tabs" aria-label="Views">
          {TABS.map((t) => (
            <a
              key={t.label}
              href={`#/${t.route.view}`}
              class={t.views.includes(route.view) ? 'on' : ''}
              onClick={(e) => (e.preventDefault(), navigate(t.route))}
            >
              {t.label}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        {info.canOpenFiles && (
          <OpenFile
            onOpened={(next) => {
              setInfo(next);
              setLive(null);
              navigate({ view: 'events', filter: {}, selected: null });
              setEpoch((n) => n + 1);
            }}
          />
        )}
        <ZonePicker onChange={() => setZoneKey(displayZone().name)} />
        <div class="seg small" role="group" aria-label="Theme">
          {(['light', 'system', 'dark'] as const).map((t) => (
            <button type="button" key={t} class={theme === t ? 'on' : ''} onClick={() => chooseTheme(t)} title={`${t} theme`}>
              {t === 'light' ? '☀' : t === 'dark' ? '☾' : 'auto'}
            </button>
          ))}
        </div>
        <button type="button" class="btn ghost small" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          ?
        </button>
      </header>
      <main class="content" key={zoneKey}>
        {notice && <Notice onClose={() => navigate(route, true)}>{notice}</Notice>}
        <View route={route} />
      </main>
      {help && (
        <div class="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <div class="dialog" onClick={(e) => e.stopPropagation()}>
            <h2>Keyboard</h2>
            <table class="table">
              <tbody>
                {SHORTCUTS.map(([k, what]) => (
                  <tr key={k}>
                    <td>
                      <kbd>{k}</kbd>
                    </td>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
