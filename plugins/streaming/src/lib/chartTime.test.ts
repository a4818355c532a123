import { chartTimeFormatter, thresholdDomainMax } from './chartTime';

describe('chartTimeFormatter', () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('shows seconds on short charts and minutes on long ones', () => {
    const short = chartTimeFormatter([t0, t0 + 10 * 60_000]);
    const long = chartTimeFormatter([t0, t0 + 6 * 3_600_000]);
    expect(short(t0 + 5_000)).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(long(t0)).toMatch(/^\d\d:\d\d$/);
  });
});

describe('thresholdDomainMax', () => {
  it('includes the threshold once the data comes within a quarter of it', () => {
    expect(thresholdDomainMax(10_000)(1_000)).toBe(1_000);
    expect(thresholdDomainMax(10_000)(3_000)).toBe(10_000);
    expect(thresholdDomainMax(10_000)(12_000)).toBe(12_000);
    expect(thresholdDomainMax(undefined)(5)).toBe(5);
  });
});
