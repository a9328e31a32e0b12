import { describe, expect, it } from 'vitest';
import * as analytics from '../../../src-plugins/analytics';
import * as display from '../../../src-desktop/renderer/display';

/**
 * The renderer cannot import the analytics module's format.ts (it reaches the core, and the
 * core reaches SQLite), so it carries a copy. This holds the copy to the original: the CLI and
 * the viewer print the same amount and the same instant the same way, in every zone.
 */
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1 + 0.2,
  -16.720000000000013,
  1234.5,
  -1234.5678,
  0.9926907902153083,
  3.3036,
  1e9 + 0.5,
  -508.42000000000075,
  2387,
  8871.0000001,
  0.00004,
  null,
  undefined,
  Number.NaN,
  Infinity,
];
const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'];
// Around DST changes in New York and Berlin, a leap day, the epoch, and the paper session.
const TIMES = [
  0,
  Date.UTC(2024, 1, 29, 23, 59, 59),
  Date.UTC(2025, 2, 9, 6, 59, 59),
  Date.UTC(2025, 2, 9, 7, 0, 0),
  Date.UTC(2025, 2, 30, 0, 59, 59),
  Date.UTC(2025, 2, 30, 1, 0, 0),
  Date.UTC(2025, 10, 2, 5, 30),
  Date.UTC(2025, 2, 5, 17, 30),
  Date.UTC(2025, 2, 5, 17, 30, 15),
];

describe('the renderer prints what the CLI prints', () => {
  it('numbers: money, prices, quantities, percents, rates, holds', () => {
    for (const n of NUMBERS) {
      expect(display.formatMoney(n), `money ${n}`).toBe(analytics.formatMoney(n));
      expect(display.formatMoney(n, { sign: 'always' }), `signed money ${n}`).toBe(analytics.formatMoney(n, { sign: 'always' }));
      expect(display.formatPrice(n), `price ${n}`).toBe(analytics.formatPrice(n));
      expect(display.formatQuantity(n), `quantity ${n}`).toBe(analytics.formatQuantity(n));
      expect(display.formatPercent(n), `percent ${n}`).toBe(analytics.formatPercent(n));
      expect(display.formatRate(n), `rate ${n}`).toBe(analytics.formatRate(n));
      expect(display.formatHold(n), `hold ${n}`).toBe(analytics.formatHold(n));
    }
    expect(display.formatMoney(-16.720000000000013)).toBe('\u221216.72');
    expect(display.formatMoney(1234567.891)).toBe('1,234,567.89');
  });

  it('times: the same wall clock and zone name, 24-hour, in every zone', () => {
    for (const name of ZONES) {
      const dz = display.DisplayZone.of(name);
      const az = analytics.TimeZone.of(name);
      expect(dz.name).toBe(az.name);
      for (const t of TIMES) {
        expect(display.formatTimeIn(t, dz), `${name} ${t}`).toBe(analytics.formatTime(t, az));
        expect(display.formatTimeIn(t, dz, { seconds: false, zone: false }), `${name} ${t}`).toBe(
          analytics.formatTime(t, az, { seconds: false, zone: false }),
        );
        expect(display.formatDateIn(t, dz)).toBe(analytics.formatDate(t, az));
        expect(dz.offsetLabel(t)).toBe(az.offsetLabel(t));
        expect(display.zoneCaption(dz, t)).toBe(analytics.zoneCaption(az, t));
      }
    }
    expect(display.formatTimeIn(Date.UTC(2025, 2, 5, 17, 30), display.DisplayZone.of('America/New_York'))).toBe(
      '2025-03-05 12:30:00 America/New_York',
    );
  });

  it('a time typed in the zone names the same instant as the CLI reads it', () => {
    for (const name of ZONES) {
      const dz = display.DisplayZone.of(name);
      const az = analytics.TimeZone.of(name);
      for (const text of [
        '2025-03-05 14:30',
        '2025-03-09 02:30',
        '2025-03-30 02:30',
        '2025-11-02 01:30:00',
        '2024-02-29 23:59:59',
        '2025-03-05',
      ]) {
        expect(display.fromZoneInput(text, dz), `${name} ${text}`).toBe(analytics.parseTimeIn(text, az));
      }
    }
    expect(display.fromZoneInput('2025-02-30 10:00')).toBeUndefined();
    expect(display.fromZoneInput('yesterday')).toBeUndefined();
  });

  it('refuses the zones the CLI refuses', () => {
    for (const bad of ['Mars/Olympus', 'EST5', 'not a zone']) {
      expect(() => analytics.TimeZone.of(bad)).toThrow();
      expect(() => display.DisplayZone.of(bad)).toThrow();
    }
  });
});
