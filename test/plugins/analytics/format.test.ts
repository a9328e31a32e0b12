import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatHold,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPrice,
  formatQuantity,
  formatRate,
  formatTime,
  InvalidTimeError,
  parseTimeIn,
  TimeZone,
  UnknownTimeZoneError,
  zoneCaption,
} from '../../../src-plugins/analytics';

const NY = TimeZone.of('America/New_York');
const utc = (iso: string) => Date.parse(iso);

describe('numbers for people', () => {
  it.each([
    ['float noise', formatMoney(-16.720000000000013), '−16.72'],
    ['separators', formatMoney(1234567.891), '1,234,567.89'],
    ['a real minus sign', formatMoney(-508.42000000000075), '−508.42'],
    ['no negative zero', formatMoney(-0.001), '0.00'],
    ['plus on request', formatMoney(98, { sign: 'always' }), '+98.00'],
    ['null', formatMoney(null), '–'],
    ['NaN', formatMoney(Number.NaN), '–'],
    ['an average entry is not rounded to a tick', formatPrice(0.9926907902153083), '0.9927'],
    ['a price', formatPrice(3.3036), '3.3036'],
    ['whole shares', formatQuantity(8871), '8,871'],
    ['fractional quantity', formatQuantity(2.5), '2.5'],
    ['quantity noise', formatQuantity(0.30000000000000004), '0.3'],
    ['percent', formatPercent(-5.773458578994712), '−5.77%'],
    ['rate', formatRate(0.5686274509803921), '56.86%'],
    ['fixed decimals', formatNumber(1.701210691126799, { decimals: 2 }), '1.70'],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    [12, '12 s'],
    [245, '4 min 05 s'],
    [780, '13 min'],
    [4320, '1 h 12 min'],
    [1576500, '18 d 5 h'],
    [null, '–'],
  ] as const)('hold %s s', (seconds, text) => {
    expect(formatHold(seconds)).toBe(text);
  });
});

describe('one display time zone', () => {
  it('UTC by default; an IANA Area/City name validated and canonical', () => {
    expect(TimeZone.of().name).toBe('UTC');
    expect(TimeZone.of('utc').isUtc).toBe(true);
    expect(TimeZone.of('Europe/Berlin').name).toBe('Europe/Berlin');
    for (const bad of ['Mars/Olympus', 'EST5EDT', 'New York', '+05:00', 'America/', '../etc/passwd']) {
      expect(() => TimeZone.of(bad), bad).toThrow(UnknownTimeZoneError);
    }
    expect(() => TimeZone.of('Mars/Olympus')).toThrow("unknown time zone 'Mars/Olympus'");
  });

  it.each([
    ['UTC', TimeZone.UTC, '2025-03-05T16:51:00Z', '2025-03-05 16:51:00 UTC'],
    ['New York, winter (EST)', NY, '2025-03-05T16:51:00Z', '2025-03-05 11:51:00 America/New_York'],
    ['New York, summer (EDT)', NY, '2025-03-10T14:57:00Z', '2025-03-10 10:57:00 America/New_York'],
    ['24-hour, across midnight', TimeZone.of('Asia/Tokyo'), '2025-03-03T16:35:00Z', '2025-03-04 01:35:00 Asia/Tokyo'],
  ])('every shown time names its zone: %s', (_name, zone, iso, text) => {
    expect(formatTime(utc(iso), zone)).toBe(text);
    expect(formatTime(iso, zone)).toBe(text);
  });

  it('days and captions in the zone', () => {
    expect(formatDate(utc('2025-03-05T03:00:00Z'), NY)).toBe('2025-03-04');
    expect(NY.dayRange(utc('2025-03-09T12:00:00Z'))).toEqual([utc('2025-03-09T05:00:00Z'), utc('2025-03-10T04:00:00Z')]); // a 23-hour day
    expect(zoneCaption(NY, utc('2025-07-01T00:00:00Z'))).toBe('times in America/New_York (UTC-04:00)');
    expect(zoneCaption(TimeZone.UTC)).toBe('times in UTC');
  });

  it.each([
    ['ISO with Z is absolute', '2025-03-05T14:30:00Z', NY, '2025-03-05T14:30:00.000Z'],
    ['ISO with an offset', '2025-03-05T14:30:00+01:00', NY, '2025-03-05T13:30:00.000Z'],
    ['a local time in the zone', '2025-03-05 09:30', NY, '2025-03-05T14:30:00.000Z'],
    ['a local time with seconds and ms', '2025-03-05T09:30:15.5', NY, '2025-03-05T14:30:15.500Z'],
    ['a date: its start in the zone', '2025-03-05', NY, '2025-03-05T05:00:00.000Z'],
    ['in the spring-forward gap: the time after the jump', '2025-03-09 02:30', NY, '2025-03-09T07:30:00.000Z'],
    ['Unix ms', '1741185000000', NY, '2025-03-05T14:30:00.000Z'],
    ['UTC zone', '2025-03-05 09:30', TimeZone.UTC, '2025-03-05T09:30:00.000Z'],
  ])('date inputs use the zone: %s', (_name, text, zone, iso) => {
    expect(new Date(parseTimeIn(text, zone)).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2025-02-30', '2025-03-05 25:00', '05/03/2025', ''])('refuses %j with a typed error naming the option', (text) => {
    expect(() => parseTimeIn(text, TimeZone.UTC, '--as-of')).toThrow(InvalidTimeError);
    expect(() => parseTimeIn(text, TimeZone.UTC, '--as-of')).toThrow(/^--as-of: cannot read/);
  });
});

describe("the display helpers load without the core (the viewer's renderer bundles them)", () => {
  it('format.ts imports reach only Intl-based modules of their own folder', async () => {
    const { readFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const dir = fileURLToPath(new URL('../../../src-plugins/analytics/', import.meta.url));
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(`${dir}${file}`, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
        const spec = m[1]!;
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/[a-z-]+$/);
        visit(`${spec.slice(2)}.ts`);
      }
    };
    visit('format.ts');
    expect([...seen].sort()).toEqual(['format.ts', 'time-errors.ts', 'time-zone.ts']);
  });
});
