/** The values a cron schedule runs at, field by field. */
export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  daysOfWeek: number[];
}

/**
 * The cron macros a spec may use and the schedule each stands for (03:00
 * UTC, when tables are quiet).
 *
 * @public
 */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@monthly': '0 3 1 * *',
  '@weekly': '0 3 * * 0',
  '@daily': '0 3 * * *',
};

const FIELDS: Array<{
  key: keyof CronSchedule;
  name: string;
  min: number;
  max: number;
  names?: string[];
}> = [
  { key: 'minutes', name: 'minute', min: 0, max: 59 },
  { key: 'hours', name: 'hour', min: 0, max: 23 },
  { key: 'daysOfMonth', name: 'day of month', min: 1, max: 31 },
  {
    key: 'months',
    name: 'month',
    min: 1,
    max: 12,
    names: 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(' '),
  },
  {
    key: 'daysOfWeek',
    name: 'day of week',
    min: 0,
    max: 7,
    names: 'SUN MON TUE WED THU FRI SAT'.split(' '),
  },
];

/**
 * Parses a five-field cron schedule (minute hour day-of-month month
 * day-of-week; lists, ranges, steps, month and day names) or one of
 * `@daily`, `@weekly`, `@monthly` (03:00 UTC). Returns the values of each
 * field, or what is wrong.
 */
export function parseCron(
  text: string,
): { schedule: CronSchedule; error?: undefined } | { error: string } {
  const expanded = Object.hasOwn(CRON_MACROS, text) ? CRON_MACROS[text] : text;
  const parts = expanded.trim().split(/ +/);
  if (parts.length !== 5) {
    return {
      error:
        'expected a cron schedule of five fields (minute hour day-of-month month day-of-week) such as "0 3 * * 0", or @daily, @weekly, @monthly',
    };
  }
  const schedule: Partial<CronSchedule> = {};
  for (const [i, field] of FIELDS.entries()) {
    const values = new Set<number>();
    const value = (token: string) => {
      const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
      if (index >= 0) {
        return index + field.min;
      }
      return /^\d{1,2}$/.test(token) ? Number(token) : NaN;
    };
    for (const item of parts[i].split(',')) {
      const match =
        /^(\*|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/(\d{1,2}))?$/.exec(item);
      const all = match?.[1] === '*';
      const from = all ? field.min : value(match?.[2] ?? '');
      let to = all || match?.[4] !== undefined ? field.max : from;
      if (!all && match?.[3] !== undefined) {
        to = value(match[3]);
      }
      const step = match?.[4] !== undefined ? Number(match[4]) : 1;
      if (
        !match ||
        !(from >= field.min && to <= field.max && from <= to) ||
        step < 1
      ) {
        return {
          error: `the ${field.name} field of the cron schedule must be ${
            field.min
          }-${
            field.max
          }, "*", a list, a range or a step (such as */15), got ${JSON.stringify(
            item.slice(0, 20),
          )}`,
        };
      }
      for (let v = from; v <= to; v += step) {
        values.add(field.key === 'daysOfWeek' && v === 7 ? 0 : v);
      }
    }
    schedule[field.key] = [...values].sort((a, b) => a - b);
  }
  return { schedule: schedule as CronSchedule };
}
