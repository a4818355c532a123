import { parseArgs } from 'node:util';

/**
 * The command-line options of a benchmark, read with `node:util`'s
 * `parseArgs`: `--NAME N` for each entry of `numbers` (a positive whole
 * number, the entry's value when not given) and `--FLAG` for each of `flags`.
 * Any other option is an error.
 */
export function benchOptions<
  D extends Record<string, number | undefined>,
  F extends string = never,
>(
  numbers: D,
  flags: readonly F[] = [],
): {
  [K in keyof D]: D[K] extends number ? number : number | undefined;
} & Record<F, boolean> {
  const { values } = parseArgs({
    options: {
      ...Object.fromEntries(
        Object.keys(numbers).map(name => [name, { type: 'string' as const }]),
      ),
      ...Object.fromEntries(
        flags.map(flag => [flag, { type: 'boolean' as const }]),
      ),
    },
  });
  const result: Record<string, number | boolean | undefined> = {};
  for (const [name, fallback] of Object.entries<number | undefined>(numbers)) {
    const given = values[name];
    const value = given === undefined ? fallback : Number(given);
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new Error(`--${name} must be a positive whole number`);
    }
    result[name] = value;
  }
  for (const flag of flags) {
    result[flag] = values[flag] === true;
  }
  return result as ReturnType<typeof benchOptions<D, F>>;
}
