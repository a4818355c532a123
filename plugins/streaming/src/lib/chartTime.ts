/**
 * Tick text of a chart's time axis (milliseconds since the epoch): with
 * seconds when the chart spans less than half an hour, so ticks differ.
 */
export function chartTimeFormatter(times: number[]): (time: number) => string {
  const span = times.length ? Math.max(...times) - Math.min(...times) : 0;
  const options: Intl.DateTimeFormatOptions =
    span < 30 * 60_000
      ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
      : { hour: '2-digit', minute: '2-digit' };
  return time => new Date(time).toLocaleTimeString('en-GB', options);
}

/** Tooltip text of a chart's time axis. */
export function formatChartDateTime(time: number): string {
  return new Date(time).toLocaleString('en-GB');
}

/**
 * The upper end of a value axis with an alert threshold: the threshold is
 * shown once the data comes within a quarter of it, so small values keep
 * their shape instead of lying flat under a far-away line.
 */
export function thresholdDomainMax(
  threshold: number | undefined,
): (dataMax: number) => number {
  return dataMax =>
    threshold !== undefined && dataMax >= threshold / 4
      ? Math.max(dataMax, threshold)
      : dataMax;
}

/** A gap is at least this long, however often the points come. */
const MIN_GAP_MS = 5 * 60_000;
/** …and this many times the median time between two points. */
const GAP_FACTOR = 5;

/**
 * The points of a time chart (sorted by `time`, ms) with a blank point in
 * each gap, where nothing was reported for far longer than usual (the job
 * was stopped, or the backend): lines and areas break there instead of
 * drawing a straight line through hours without data.
 */
export function breakAtGaps<T extends { time: number }>(
  points: T[],
  blank: Omit<T, 'time'>,
): T[] {
  if (points.length < 3) {
    return points;
  }
  const steps = points
    .slice(1)
    .map((p, i) => p.time - points[i].time)
    .sort((a, b) => a - b);
  const gap = Math.max(
    MIN_GAP_MS,
    GAP_FACTOR * steps[Math.floor(steps.length / 2)],
  );
  const result: T[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1].time;
    if (points[i].time - before > gap) {
      result.push({
        ...blank,
        time: before + (points[i].time - before) / 2,
      } as T);
    }
    result.push(points[i]);
  }
  return result;
}
