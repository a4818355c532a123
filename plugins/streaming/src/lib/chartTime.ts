/** Tick text of a chart's time axis (milliseconds since the epoch). */
export function formatChartTime(time: number): string {
  return new Date(time).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Tooltip text of a chart's time axis. */
export function formatChartDateTime(time: number): string {
  return new Date(time).toLocaleString('en-GB');
}
