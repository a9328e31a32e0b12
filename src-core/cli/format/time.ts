/** Every time the CLI prints is UTC, like the log's own `created_at`. */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function valid(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** `2024-01-15` */
export function formatDay(ms: number): string {
  if (!valid(ms)) return String(ms);
  return new Date(ms).toISOString().slice(0, 10);
}

/** `14:30:05.123` */
export function formatClock(ms: number): string {
  if (!valid(ms)) return String(ms);
  return new Date(ms).toISOString().slice(11, 23);
}

/** `2024-01-15 14:30:05.123` */
export function formatTime(ms: number): string {
  if (!valid(ms)) return String(ms);
  return `${formatDay(ms)} ${formatClock(ms)}`;
}

/** `2d 3h`, `4m 05s`, `1.250s`, `12ms` */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  if (rest < 60_000) return `${sign}${(rest / 1000).toFixed(3)}s`;
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  if (days > 0) return `${sign}${days}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${pad(minutes)}m`;
  return `${sign}${minutes}m ${pad(seconds)}s`;
}

/** `+1.250s` after a reference time, for trees and replays. */
export function formatOffset(ms: number, from: number): string {
  const delta = ms - from;
  if (!Number.isFinite(delta)) return '?';
  return delta >= 0 ? `+${formatDuration(delta)}` : formatDuration(delta);
}

/** `1.2 MB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
