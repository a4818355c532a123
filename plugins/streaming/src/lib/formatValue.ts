/**
 * What a number measures, which decides how it is written.
 *
 * - `count`: 1.2K, 3.4M (an optional `suffix` such as `msg/s` follows)
 * - `ms`, `seconds`: a duration in the best unit (250 ms, 3.4 s, 2.5 min, 1.5 h, 2.0 d)
 * - `bytes`: 1.2 KB ... 2.5 TB (decimal units, as storage is billed)
 * - `currency`: $1,234 (an optional `suffix` such as `/mo` follows)
 *
 * @public
 */
export type ValueUnit = 'count' | 'ms' | 'seconds' | 'bytes' | 'currency';

/** @public */
export interface FormatValueOptions {
  /** Appended after a space (`msg/s`), or directly when it starts with `/` (`/mo`). */
  suffix?: string;
  /** ISO 4217 code for `currency`; default USD. */
  currency?: string;
}

const PLACEHOLDER = '—';
const COUNT_UNITS = ['', 'K', 'M', 'B', 'T'];
const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
const DURATION_UNITS: Array<[seconds: number, unit: string]> = [
  [86400, 'd'],
  [3600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/**
 * Writes a number for people: `formatValue(1234, 'count', { suffix: 'msg/s' })`
 * is `1.2K msg/s`, `formatValue(3400, 'ms')` is `3.4 s`,
 * `formatValue(1234, 'currency', { suffix: '/mo' })` is `$1,234/mo`.
 * Missing values (null, undefined, NaN) are written as a dash.
 *
 * @public
 */
export function formatValue(
  value: number | null | undefined,
  unit: ValueUnit,
  options: FormatValueOptions = {},
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return PLACEHOLDER;
  }
  const text = formatNumber(value, unit, options.currency ?? 'USD');
  if (!options.suffix) {
    return text;
  }
  return options.suffix.startsWith('/')
    ? `${text}${options.suffix}`
    : `${text} ${options.suffix}`;
}

function formatNumber(value: number, unit: ValueUnit, currency: string) {
  switch (unit) {
    case 'count':
      return scaled(value, 1000, COUNT_UNITS, '');
    case 'bytes':
      return scaled(value, 1000, BYTE_UNITS, ' ');
    case 'ms':
      return Math.abs(value) < 1000
        ? `${Math.round(value)} ms`
        : duration(value / 1000);
    case 'seconds':
      return Math.abs(value) < 1 && value !== 0
        ? `${Math.round(value * 1000)} ms`
        : duration(value);
    case 'currency':
      return new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0,
        minimumFractionDigits: 0,
      }).format(value);
    default:
      return String(value);
  }
}

function scaled(value: number, base: number, units: string[], gap: string) {
  let scaledValue = Math.abs(value);
  let index = 0;
  while (scaledValue >= base && index < units.length - 1) {
    scaledValue /= base;
    index += 1;
  }
  if (index > 0 && Number(scaledValue.toFixed(1)) >= base) {
    scaledValue /= base;
    index = Math.min(index + 1, units.length - 1);
  }
  const digits = index === 0 || scaledValue >= 100 ? 0 : 1;
  const sign = value < 0 ? '-' : '';
  const number =
    index === 0 && !Number.isInteger(value)
      ? trimZero(scaledValue.toFixed(scaledValue < 10 ? 1 : 0))
      : trimZero(scaledValue.toFixed(digits));
  return `${sign}${number}${units[index] ? `${gap}${units[index]}` : ''}`;
}

function duration(seconds: number) {
  const abs = Math.abs(seconds);
  const [size, unit] =
    DURATION_UNITS.find(([s]) => abs >= s) ??
    DURATION_UNITS[DURATION_UNITS.length - 1];
  const amount = seconds / size;
  const digits = unit === 's' && abs >= 10 ? 0 : 1;
  return `${trimZero(amount.toFixed(digits))} ${unit}`;
}

function trimZero(text: string) {
  return text.includes('.') ? text.replace(/\.0$/, '') : text;
}
