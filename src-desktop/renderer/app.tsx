import { useEffect, useState } from 'preact/hooks';
import type { DataChange, RecentFile, ViewerInfo } from '../shared/api';
import { errorText, getApi } from './api';
import { ErrorBox, Loading } from './components/common';
import { navigate, useRoute, type Route } from './router';
import { applyTheme, loadTheme, type ThemeChoice } from './theme';
import { AggregatesView } from './views/aggregates-view';
import { CorruptView } from './views/corrupt-view';
import { EventDetailView } from './views/event-detail';
import { EventsView } from './views/events-view';
import { PnlView } from './views/pnl-view';
import { ReplayView } from './views/replay-view';
import { StatsView } from './views/stats-view';
import { TraceView } from './views/trace-view';

const TABS: { label: string; key: string; route: Route; views: Route['view'][] }[] = [
  { label: 'Events', key: '1', route: { view: 'events', filter: {}, selected: null }, views: ['events', 'event', 'trace'] },
  { label: 'Aggregates', key: '2', route: { view: 'aggregates', aggregateType: null }, views: ['aggregates', 'replay', 'position'] },
  { label: 'Stats', key: '3', route: { view: 'stats' }, views: ['stats'] },
  { label: 'Corrupt', key: '4', route: { view: 'corrupt' }, views: ['corrupt'] },
];

const SHORTCUTS: [string, string][] = [
  ['/', 'Search the payload text'],
  ['↑ ↓ or j k', 'Move through events'],
  ['Enter', 'Open the selected event'],
  ['Esc', 'Clear the selection / close this help'],
  ['← → Home End', 'Step a replay'],
  ['1 2 3 4', 'Events, aggregates, stats, corrupt rows'],
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
  }
}

function OpenFile({ onOpened }: { onOpened: (info: ViewerInfo) => void }) {
  const api = getApi();
  const [recent, setRecent] = useState<RecentFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.recentFiles().then(setRecent, () => setRecent([]));
  }, []);
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
          <span class="logo" aria-hidden="true">◆</span> Catalyst Events
        </div>
        <div class="file" title={info.file}>
          <span class="file-name">{info.fileName}</span>
          <span class="pill">read-only</span>
          <span class="muted small" id="head-position">
            {(live?.head ?? info.head).toLocaleString()} events
          </span>
          {live && <span class="live-dot" title="New events are arriving" />}
        </div>
        <nav class="tabs" aria-label="Views">
          {TABS.map((t) => (
            <a key={t.label} href={`#/${t.route.view}`} class={t.views.includes(route.view) ? 'on' : ''} onClick={(e) => (e.preventDefault(), navigate(t.route))}>
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
      <main class="content">
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
