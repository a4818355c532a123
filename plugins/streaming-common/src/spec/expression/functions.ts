/**
 * A function the expression grammar allows.
 *
 * @public
 */
export interface AllowedFunction {
  /** The `pyspark.sql.functions` name it becomes. */
  pyspark: string;
  aggregate: boolean;
  minArgs: number;
  maxArgs: number;
  /** Argument positions that must be integer literals (passed as Python ints). */
  intArgs?: number[];
  /** Argument positions that must be number literals (passed as Python floats). */
  numberArgs?: number[];
  /** Inclusive bounds of the literal arguments (`intArgs`, `numberArgs`). */
  argRange?: [number, number];
  /** `count(*)` */
  allowsStar?: boolean;
}

const agg = (
  pyspark: string,
  extra: Partial<AllowedFunction> = {},
): AllowedFunction => ({
  pyspark,
  aggregate: true,
  minArgs: 1,
  maxArgs: 1,
  ...extra,
});

const scalar = (
  pyspark: string,
  minArgs = 1,
  maxArgs = minArgs,
  extra: Partial<AllowedFunction> = {},
): AllowedFunction => ({
  pyspark,
  aggregate: false,
  minArgs,
  maxArgs,
  ...extra,
});

/**
 * Aggregate functions allowed in metrics. Distinct counts are not supported
 * by Spark on streams; `approx_count_distinct` is the streaming way.
 *
 * @public
 */
export const AGGREGATE_FUNCTIONS: Readonly<Record<string, AllowedFunction>> = {
  count: agg('count', { minArgs: 0, allowsStar: true }),
  count_if: agg('count_if'),
  sum: agg('sum'),
  avg: agg('avg'),
  mean: agg('avg'),
  min: agg('min'),
  max: agg('max'),
  approx_count_distinct: agg('approx_count_distinct'),
  stddev: agg('stddev'),
  stddev_samp: agg('stddev_samp'),
  stddev_pop: agg('stddev_pop'),
  variance: agg('variance'),
  var_samp: agg('var_samp'),
  var_pop: agg('var_pop'),
  first: agg('first'),
  last: agg('last'),
  collect_list: agg('collect_list'),
  collect_set: agg('collect_set'),
  percentile_approx: agg('percentile_approx', {
    minArgs: 2,
    maxArgs: 2,
    numberArgs: [1],
    argRange: [0, 1],
  }),
};

/**
 * Scalar functions allowed in conditions and inside metrics.
 *
 * @public
 */
export const SCALAR_FUNCTIONS: Readonly<Record<string, AllowedFunction>> = {
  lower: scalar('lower'),
  upper: scalar('upper'),
  trim: scalar('trim'),
  ltrim: scalar('ltrim'),
  rtrim: scalar('rtrim'),
  length: scalar('length'),
  abs: scalar('abs'),
  floor: scalar('floor'),
  ceil: scalar('ceil'),
  round: scalar('round', 1, 2, { intArgs: [1], argRange: [0, 38] }),
  coalesce: scalar('coalesce', 1, 16),
  concat: scalar('concat', 1, 16),
  greatest: scalar('greatest', 2, 16),
  least: scalar('least', 2, 16),
  substring: scalar('substring', 3, 3, {
    intArgs: [1, 2],
    argRange: [0, 2147483647],
  }),
  to_date: scalar('to_date'),
  year: scalar('year'),
  month: scalar('month'),
  dayofmonth: scalar('dayofmonth'),
  hour: scalar('hour'),
};

/**
 * The allowed function of that (lower-case) name, if any. Looks only at the
 * allow-lists' own entries: `constructor` or `toString` is no function.
 *
 * @public
 */
export function allowedFunction(name: string): AllowedFunction | undefined {
  if (Object.hasOwn(AGGREGATE_FUNCTIONS, name)) {
    return AGGREGATE_FUNCTIONS[name];
  }
  return Object.hasOwn(SCALAR_FUNCTIONS, name)
    ? SCALAR_FUNCTIONS[name]
    : undefined;
}
