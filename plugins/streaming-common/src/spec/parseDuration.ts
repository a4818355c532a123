const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/**
 * The pattern every duration in a spec follows: a whole number and a unit,
 * `"10 minutes"`, `"30 seconds"`, `"500 ms"`, `"2h"`.
 *
 * @public
 */
export const DURATION_PATTERN =
  /^(\d{1,9}) ?(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?|d|days?)$/;

/**
 * A parsed duration: milliseconds, and the canonical text Spark accepts
 * (`"10 minutes"`).
 *
 * @public
 */
export interface Duration {
  ms: number;
  text: string;
}

const CANONICAL: Array<[number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
  [1, 'millisecond'],
];

/**
 * Parses a spec duration; undefined when it is not one.
 *
 * @public
 */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) {
    return undefined;
  }
  const ms = Number(match[1]) * UNITS[match[2]];
  const [size, unit] = CANONICAL.find(([s]) => ms % s === 0 && ms >= s) ?? [
    1,
    'millisecond',
  ];
  const n = ms / size;
  return { ms, text: `${n} ${unit}${n === 1 ? '' : 's'}` };
}
