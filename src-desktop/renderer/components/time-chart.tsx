import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { displayZone, formatClockIn, formatDateIn } from '../display';

export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * The time axis every chart uses: the display zone's wall clock, 24-hour (`14:30`, or
 * `03-05 14:30` when the span crosses days); the chart's caption names the zone.
 */
export function timeAxisOptions(): Pick<uPlot.Options, 'tzDate'> & { axis: Partial<uPlot.Axis> } {
  const zone = displayZone();
  const tz = zone.isUtc ? 'Etc/UTC' : zone.name;
  return {
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), tz),
    axis: {
      values: (_u: uPlot, splits: number[]) => {
        const span = splits.length > 1 ? splits[splits.length - 1]! - splits[0]! : 0;
        return splits.map((v) => {
          const ms = v * 1000;
          const clock = formatClockIn(ms, zone, false);
          if (span < 86_400) return clock;
          const day = formatDateIn(ms, zone).slice(5);
          return clock === '00:00' || span >= 4 * 86_400 ? day : `${day} ${clock}`;
        });
      },
    },
  };
}

/** Mounts a uPlot built by `make(width)`, resized with its box and rebuilt when the theme flips. */
export function useUplot(make: (el: HTMLDivElement) => uPlot, deps: readonly unknown[], height: number) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let plot: uPlot | null = null;
    const build = () => {
      plot?.destroy();
      plot = make(el);
    };
    build();
    const resize = new ResizeObserver(() => plot?.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    const theme = new MutationObserver(build);
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', build);
    return () => {
      resize.disconnect();
      theme.disconnect();
      media.removeEventListener('change', build);
      plot?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}
