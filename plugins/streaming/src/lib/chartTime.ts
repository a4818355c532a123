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
