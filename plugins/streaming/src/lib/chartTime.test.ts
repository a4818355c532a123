import {
  breakAtGaps,
  chartTimeFormatter,
  thresholdDomainMax,
} from './chartTime';

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

describe('breakAtGaps', () => {
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
  const every = (start: number, stepMs: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      time: start + i * stepMs,
      v: i as number | null,
    }));

  it('puts a blank point in the middle of a stop of hours between two runs', () => {
    const first = every(t0, 20_000, 10);
    const second = every(t0 + 3 * 3_600_000, 20_000, 10);
    const points = breakAtGaps([...first, ...second], { v: null });
    expect(points).toHaveLength(21);
    expect(points[10]).toEqual({
      time: (first[9].time + second[0].time) / 2,
      v: null,
    });
    expect(points.filter(p => p.v === null)).toHaveLength(1);
  });

  it('leaves steady points, a slow batch and a short pause joined', () => {
    const steady = every(t0, 20_000, 30);
    expect(breakAtGaps(steady, { v: null })).toEqual(steady);
    // One batch of 80 s among batches of 20 s, and a pause of 4 minutes.
    const slow = [
      ...every(t0, 20_000, 10),
      ...every(t0 + 260_000, 20_000, 10),
      ...every(t0 + 700_000, 20_000, 10),
    ];
    expect(breakAtGaps(slow, { v: null })).toEqual(slow);
  });

  it('scales with the interval of the points: a job triggered every 10 minutes', () => {
    const hourly = every(t0, 10 * 60_000, 12);
    expect(breakAtGaps(hourly, { v: null })).toEqual(hourly);
    const stopped = [
      ...hourly,
      { time: t0 + 11 * 60 * 60_000, v: 99 as number | null },
    ];
    expect(
      breakAtGaps(stopped, { v: null }).filter(p => p.v === null),
    ).toHaveLength(1);
  });
});
